"""Paging for every list: a page of rows plus what the pager needs."""

from dataclasses import dataclass
from math import ceil

from flask import current_app, has_app_context
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

DEFAULT_PAGE_SIZE = 20


@dataclass(frozen=True)
class Page:
    items: list
    page: int
    per_page: int
    total: int
    capped: bool = False  # more than `total` match (counted up to a limit, see capped_count)

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages or self.capped


def paginate(
    session: Session,
    query: Select,
    *,
    page: int,
    per_page: int | None = None,
    counted: Select | None = None,
    rows: bool = False,
) -> Page:
    """A page of `query`'s results (objects, or rows when it selects several things) and their
    total; `counted`, when given, selects the same rows in a form an index counts faster (the
    count's plan is not the page's)."""
    if per_page is None:
        per_page = (
            current_app.config.get("PAGE_SIZE", DEFAULT_PAGE_SIZE)
            if has_app_context()
            else DEFAULT_PAGE_SIZE
        )
    page = max(1, page)
    counting = (query if counted is None else counted).order_by(None).subquery()
    total = session.scalar(select(func.count()).select_from(counting))
    limited = query.limit(per_page).offset((page - 1) * per_page)
    items = list(session.execute(limited)) if rows else list(session.scalars(limited).unique())
    return Page(items=items, page=page, per_page=per_page, total=total or 0)


def capped_count(session: Session, counted: Select, limit: int) -> tuple[int, bool]:
    """How many rows `counted` selects, reading at most `limit` + 1 of them: (limit, True)
    when there are more. A count of every row grows with the years; this one stops."""
    total = session.scalar(select(func.count()).select_from(counted.limit(limit + 1).subquery()))
    return (limit, True) if (total or 0) > limit else (total or 0, False)


# The dashboard's previews: the first few items of a list, each linking to its full list.
PREVIEW_SIZE = 5
# A preview counts at most this many (the dashboard then says "more than"): counting
# every one of a person's ten years of meetings costs more than the rest of the page.
PREVIEW_COUNT_LIMIT = 100


@dataclass(frozen=True)
class Preview:
    """The first few items of a list and how many there are in all, or, when `capped`,
    that there are more than `total` (PREVIEW_COUNT_LIMIT)."""

    items: list
    total: int
    capped: bool = False

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def preview(session: Session, query: Select, *, rows: bool = False) -> Preview:
    """The first PREVIEW_SIZE results of `query` (objects, or rows when it selects several
    things) and how many it has in all, counted up to PREVIEW_COUNT_LIMIT only."""
    counted = query.order_by(None).limit(PREVIEW_COUNT_LIMIT + 1).subquery()
    total = session.scalar(select(func.count()).select_from(counted)) or 0
    first = query.limit(PREVIEW_SIZE)
    items = list(session.execute(first)) if rows else list(session.scalars(first))
    if total > PREVIEW_COUNT_LIMIT:
        return Preview(items=items, total=PREVIEW_COUNT_LIMIT, capped=True)
    return Preview(items=items, total=total)

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

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(session: Session, query: Select, *, page: int, per_page: int | None = None) -> Page:
    if per_page is None:
        per_page = (
            current_app.config.get("PAGE_SIZE", DEFAULT_PAGE_SIZE)
            if has_app_context()
            else DEFAULT_PAGE_SIZE
        )
    page = max(1, page)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = list(session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique())
    return Page(items=items, page=page, per_page=per_page, total=total or 0)


# The dashboard's previews: the first few items of a list, each linking to its full list.
PREVIEW_SIZE = 5


@dataclass(frozen=True)
class Preview:
    """The first few items of a list and how many there are in all."""

    items: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def preview(session: Session, query: Select, *, rows: bool = False) -> Preview:
    """The first PREVIEW_SIZE results of `query` (objects, or rows when it selects several
    things) and how many it has in all."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    first = query.limit(PREVIEW_SIZE)
    items = list(session.execute(first)) if rows else list(session.scalars(first))
    return Preview(items=items, total=total or 0)

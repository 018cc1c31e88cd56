"""Paging for every list: a page of rows plus what the pager needs."""

from collections.abc import Sequence
from dataclasses import dataclass
from math import ceil

from flask import current_app, has_app_context
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Subquery

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
    """A page of `query`'s results (objects, or rows when it selects several things) and
    their total; `counted`, when given, selects the same rows in a form an index counts
    faster (the count's plan is not the page's)."""
    if per_page is None:
        per_page = (
            current_app.config.get("PAGE_SIZE", DEFAULT_PAGE_SIZE)
            if has_app_context()
            else DEFAULT_PAGE_SIZE
        )
    page = max(1, page)
    counting = (query if counted is None else counted).order_by(None).subquery()
    total = session.scalar(select(func.count()).select_from(counting))
    shown = query.limit(per_page).offset((page - 1) * per_page)
    items = list(session.execute(shown)) if rows else list(session.scalars(shown).unique())
    return Page(items=items, page=page, per_page=per_page, total=total or 0)


def counted_page(
    session: Session,
    query: Select,
    *,
    page: int,
    per_page: int | None = None,
    parameters: dict | None = None,
) -> Page:
    """A page of `query`'s rows with their total in one statement: the total rides on each
    row as a window count (the last column, which the rows keep). Only for lists a reader
    has few of (dozens of MoUs, hundreds of trainings): the count reads every matching row.
    Past the last page there is no row to carry it, and it is counted apart. `parameters`
    bind those of a statement built once (a parametric viewer's)."""
    per_page = per_page or current_app.config.get("PAGE_SIZE", DEFAULT_PAGE_SIZE)
    page = max(1, page)
    shown = query.add_columns(func.count().over().label("page_total"))
    shown = shown.limit(per_page).offset((page - 1) * per_page)
    rows = session.execute(shown, parameters).all()
    if rows:
        total = rows[0].page_total
    else:
        counted = select(func.count()).select_from(query.order_by(None).subquery())
        total = session.scalar(counted, parameters)
    return Page(items=rows, page=page, per_page=per_page, total=total or 0)


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


def numbered_cut(query: Select, order: Sequence[ColumnElement], limit: int) -> Subquery:
    """`query`'s rows in `order`, cut after `limit` + 1 of them, each with its place
    (`cut_position`) and how many the cut kept (`cut_total`): counts that stop early. A list
    whose shown columns the query's indexes do not hold selects only the keys here and joins
    the rows of the few it shows (the dashboard's previews, the action list)."""
    position = func.row_number().over(order_by=order).label("cut_position")
    cut = query.add_columns(position).order_by(*order).limit(limit + 1).subquery()
    return select(cut, func.count().over().label("cut_total")).subquery()


def numbered_preview(query: Select, order: Sequence[ColumnElement]) -> Subquery:
    """`query`'s rows numbered and cut for a preview (`numbered_cut` at PREVIEW_COUNT_LIMIT)."""
    return numbered_cut(query, order, PREVIEW_COUNT_LIMIT)


def previewed(session: Session, statement: Select) -> Preview:
    """The Preview of `statement`, which selects the first rows of a `numbered_preview` (in
    their place, at most PREVIEW_SIZE) with its `cut_total` as the last column."""
    found = session.execute(statement).all()
    items = [tuple(row[:-1]) for row in found]
    total = found[0][-1] if found else 0
    if total > PREVIEW_COUNT_LIMIT:
        return Preview(items=items, total=PREVIEW_COUNT_LIMIT, capped=True)
    return Preview(items=items, total=total)


def preview(session: Session, query: Select, order: Sequence[ColumnElement]) -> Preview:
    """The first PREVIEW_SIZE rows of `query` in `order` and how many it has in all, counted
    up to PREVIEW_COUNT_LIMIT only, in one statement."""
    numbered = numbered_preview(query, order)
    shown = [column for column in numbered.c if not column.name.startswith("cut_")]
    statement = (
        select(*shown, numbered.c.cut_total).order_by(numbered.c.cut_position).limit(PREVIEW_SIZE)
    )
    return previewed(session, statement)

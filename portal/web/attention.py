"""Counting for the dashboard's "Needs your attention": how many, and the first one.

The dashboard is the most opened page, so each line is one statement: the rows that wait,
in the order the reader should take them, give the first row's key with the count of them
all (a window count), never the rows themselves. A line whose rows grow with the years
(meetings to answer) counts up to a limit instead: it reads the keys of at most `limit` + 1
rows, which an index in the statement's order finds without reading the others, and says
"more than" past it.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Waiting:
    """How many wait, and the key(s) of the first (None when none does)."""

    count: int
    first: Any = None
    more: bool = False  # more than `count` wait (counted up to a limit)


NOTHING = Waiting(0)


def count_with_first(session: Session, statement: Select, *, limit: int | None = None) -> Waiting:
    """`statement` selects the key of what waits, ordered; one statement counts them all, or
    up to `limit` (then `more` says whether others wait)."""
    return read_waiting(session, waiting_statement(statement, limit=limit), {}, limit=limit)


def waiting_statement(statement: Select, *, limit: int | None = None) -> Select:
    """What count_with_first runs for `statement`: a line built once per role (through a
    core.access.ParametricViewer) builds this once too, and reads it with read_waiting."""
    if limit is not None:
        return statement.limit(limit + 1)
    return statement.add_columns(func.count().over()).limit(1)


def read_waiting(
    session: Session, statement: Select, parameters: dict, *, limit: int | None = None
) -> Waiting:
    """Run a waiting_statement (made with the same `limit`) with the reader's `parameters`."""
    if limit is not None:
        keys = session.execute(statement, parameters).all()
        if not keys:
            return NOTHING
        first = keys[0][0] if len(keys[0]) == 1 else tuple(keys[0])
        return Waiting(min(len(keys), limit), first, more=len(keys) > limit)
    row = session.execute(statement, parameters).first()
    if row is None:
        return NOTHING
    *key, count = row
    return Waiting(count, key[0] if len(key) == 1 else tuple(key))

"""Counting for the dashboard's "Needs your attention": how many, and the first one.

The dashboard is the most opened page, so each line is one statement: the rows that wait,
in the order the reader should take them, give the first row's key with the count of them
all (a window count), never the rows themselves.
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


NOTHING = Waiting(0)


def count_with_first(session: Session, statement: Select) -> Waiting:
    """`statement` selects the key of what waits, ordered; one statement counts them all."""
    row = session.execute(statement.add_columns(func.count().over()).limit(1)).first()
    if row is None:
        return NOTHING
    *key, count = row
    return Waiting(count, key[0] if len(key) == 1 else tuple(key))

"""Generations: one counter for output that spans too many rows to name their versions, such
as a reader's dashboard (every feature's lines and panels). A feature declares which changes
raise it (`versions.declare(KeptGeneration.generation, Raises(..., stale=generation(NAME)))`);
a reader reads it first, in one short statement, and keeps what it renders under it.

The row of a generation is made by its migration. Without it nothing raises the counter, so
a reader that finds no row keeps nothing (`counter_statement` gives None), and
`ProcessStore.get_counted` then makes what it would have kept each time.
"""

from functools import cache

from sqlalchemy import BigInteger, ColumnElement, Select, String, select
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.extensions import db


class KeptGeneration(db.Model):
    """A counter raised by every change to what is kept under it."""

    __tablename__ = "kept_generations"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


def generation(name: str):
    """A `Raises.stale` for the generation `name`: every change reaches its one row, by the
    same clause each time (so a transaction of many changes raises it by one short WHERE)."""
    row = KeptGeneration.name == name

    def stale(_changed: list) -> ColumnElement[bool]:
        return row

    return stale


@cache
def counter_statement(name: str) -> Select:
    """The generation `name` (None without its row): read first, or as a column of a page's
    first statement. Built once per name."""
    return select(KeptGeneration.generation).where(KeptGeneration.name == name)

"""Several reads in one statement: the panels of a page each read a few rows, and each
statement costs more in the driver and SQLAlchemy than the database spends running it.

A `Read` is a SELECT and its parameters. `read_together` runs any number of them as one
UNION ALL: each read fills its own columns of a wide row (NULL in the others' columns) and
numbers its rows by its own ORDER BY; the rows come back to each read as named tuples with its
columns' names and types. The combined statement is built once per tuple of SELECTs (they
are built once per role where the reader's rule allows), so its compiled form is reused.
"""

from collections import namedtuple
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import (
    BindParameter,
    CompoundSelect,
    Select,
    cast,
    func,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.util import ClauseAdapter
from sqlalchemy.sql.visitors import replacement_traverse


@dataclass(frozen=True)
class Read:
    """A SELECT and the values of its named parameters (more may be given than it uses)."""

    statement: Select
    parameters: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class _Combined:
    statement: object
    row_types: tuple[type, ...]
    widths: tuple[tuple[int, int], ...]  # each read's first column and column count


def read_together(session: Session, reads: Sequence[Read]) -> list[tuple]:
    """The rows of each read, in its order, from one statement."""
    if not reads:
        return []
    combined = _combined(tuple(read.statement for read in reads))
    parameters = {
        _branch_key(index, key): value
        for index, read in enumerate(reads)
        for key, value in read.parameters.items()
    }
    rows: list[list] = [[] for _ in reads]
    for row in sorted(session.execute(combined.statement, parameters), key=_position):
        branch, _seq, *values = row
        first, width = combined.widths[branch]
        rows[branch].append(combined.row_types[branch]._make(values[first : first + width]))
    return [tuple(branch_rows) for branch_rows in rows]


def _position(row) -> tuple[int, int]:
    return row[0], row[1]


def _branch_key(index: int, key: str) -> str:
    return f"r{index}_{key}"


@lru_cache(maxsize=256)
def _combined(statements: tuple[Select, ...]) -> _Combined:
    subqueries = [
        _numbered(_renamed(index, statement)).subquery(f"read_{index}")
        for index, statement in enumerate(statements)
    ]
    data = [[column for column in subquery.c if column.key != _SEQ] for subquery in subqueries]
    columns = [column for own in data for column in own]
    widths, first = [], 0
    for own in data:
        widths.append((first, len(own)))
        first += len(own)
    branches = []
    for index, (subquery, own) in enumerate(zip(subqueries, data, strict=True)):
        mine = set(own)
        slots = [
            (column if column in mine else cast(null(), column.type)).label(f"c{number}")
            for number, column in enumerate(columns)
        ]
        position = subquery.c[_SEQ].label("seq")
        branches.append(select(literal(index).label("branch"), position, *slots))
    row_types = tuple(
        namedtuple(f"Row{index}", list(s.selected_columns.keys()), rename=True)
        for index, s in enumerate(statements)
    )
    return _Combined(union_all(*branches), row_types, tuple(widths))


_SEQ = "together_seq"


def _numbered(statement: Select | CompoundSelect) -> Select:
    """The statement with each row's place in its own ORDER BY (a window over the same
    ordering, computed in the same SELECT, so the place does not rest on a subquery keeping
    its order, which SQL does not promise). A UNION is numbered from outside, its ordering
    taken onto its columns."""
    ordering = list(statement._order_by_clauses)
    if isinstance(statement, Select):
        place = func.row_number().over(order_by=ordering or None)
        return statement.add_columns(place.label(_SEQ))
    rows = statement.subquery()
    onto_rows = ClauseAdapter(rows)
    ordering = [onto_rows.traverse(clause) for clause in ordering]
    place = func.row_number().over(order_by=ordering or None)
    return select(*rows.c, place.label(_SEQ))


def _renamed(index: int, statement: Select) -> Select:
    """The statement with each named parameter renamed for its read, so that reads whose
    parameters share a name (`now`, `limit`) keep their own values."""

    def rename(element, **_kw):
        if isinstance(element, BindParameter) and not element.unique:
            renamed = element._clone()
            renamed.key = renamed._identifying_key = renamed._orig_key = _branch_key(
                index, element.key
            )
            return renamed
        return None

    return replacement_traverse(statement, {}, rename)

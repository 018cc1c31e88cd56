"""The declarative base, its naming convention and the column types shared by all features."""

from datetime import UTC, datetime
from enum import Enum

from sqlalchemy import ColumnElement, DateTime, MetaData, exists, func, literal_column, select
from sqlalchemy.orm import DeclarativeBase, Session
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """An instant: stored in UTC, always returned timezone-aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


def written(value: Enum) -> ColumnElement:
    """An enum's value written into a statement instead of bound: a statement built once and
    prepared by the driver then has a generic plan that sees it, so it may use the partial
    indexes whose condition names it (bound, every execution is planned anew)."""
    if not value.value.isidentifier():
        raise ValueError(value)
    return literal_column(f"'{value.value}'")


def written_limit(rows: int) -> ColumnElement:
    """A LIMIT written into a statement instead of bound. Bound, the generic plan of a
    statement prepared by the driver guesses a tenth of the rows and may cost more than
    planning each execution, so PostgreSQL plans every one anew; written, that plan knows
    how few rows are read and is kept."""
    return literal_column(str(int(rows)))


def attached_work(session: Session, model: type, object_id: int) -> bool:
    """Whether any row of any table points at this object by a foreign key: work a person
    attached to it (an action item naming a line of cooperation, a commitment under it...).
    Read from the metadata, so a feature that adds such a reference is covered without
    telling the feature that owns the object; columns that are emptied or cascaded with the
    object (ON DELETE SET NULL or CASCADE) are not attachments."""
    target = model.__table__
    references = [
        key.parent
        for table in model.metadata.tables.values()
        for key in table.foreign_keys
        if key.column.table is target and key.ondelete is None
    ]
    return any(session.scalar(select(exists().where(c == object_id))) for c in references)


# Several values of a row's children read as one column of the row (a correlated
# subquery), so a list needs no second statement for them: joined by the ASCII record
# separator, fields of one value by the unit separator (no name, code or title holds them).
RECORD, FIELD = "\x1e", "\x1f"


def packed(expression):
    """The values of `expression` over a subquery's rows, as one string."""
    return func.aggregate_strings(expression, RECORD)


def unpacked(value: str | None) -> list[str]:
    """The values `packed` joined, sorted (the database keeps no order inside them)."""
    return sorted(value.split(RECORD)) if value else []

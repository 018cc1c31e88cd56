"""Recording which fields of which models a rendering reads, to check that every one of them
is declared to raise the version its kept output is served under (portal/core/kept): read on
objects (recorded_reads) or selected as columns (recorded_columns)."""

from contextlib import contextmanager

from sqlalchemy import Column, event, inspect
from sqlalchemy.orm import RelationshipProperty
from sqlalchemy.sql import visitors

from portal.core.extensions import db
from portal.core.kept import Version


class _Recording:
    """A mapped attribute that notes each read of it on an instance (a data descriptor, like
    the one it wraps: instances keep their loaded values in their own __dict__)."""

    def __init__(self, attribute, model: type, key: str, reads: set) -> None:
        self.attribute, self.model, self.key, self.reads = attribute, model, key, reads

    def __get__(self, obj, owner):
        if obj is not None:
            self.reads.add((self.model, self.key))
        return self.attribute.__get__(obj, owner)

    def __set__(self, obj, value) -> None:
        self.attribute.__set__(obj, value)

    def __delete__(self, obj) -> None:
        self.attribute.__delete__(obj)


@contextmanager
def recorded_reads():
    """The (model, field) pairs read on instances of any mapped class inside the block."""
    reads: set[tuple[type, str]] = set()
    replaced = []
    for mapper in db.Model.registry.mappers:
        model = mapper.class_
        for prop in mapper.attrs:
            if prop.key in vars(model):
                replaced.append((model, prop.key, vars(model)[prop.key]))
    try:
        for model, key, attribute in replaced:
            setattr(model, key, _Recording(attribute, model, key, reads))
        yield reads
    finally:
        for model, key, attribute in replaced:
            setattr(model, key, attribute)


def _owners_of_columns() -> dict:
    """Each table's columns as (model, field): a mapped table's own attributes, an
    association table's the relationships going through it."""
    owners: dict = {}
    for mapper in db.Model.registry.mappers:
        for column in mapper.local_table.columns:
            prop = mapper.get_property_by_column(column)
            owners[column] = [(mapper.class_, prop.key)]
        for relationship in mapper.relationships:
            if relationship.secondary is not None:
                for column in relationship.secondary.columns:
                    owners.setdefault(column, []).append((mapper.class_, relationship.key))
    return owners


@contextmanager
def recorded_columns(engine):
    """The (model, field) pairs of the columns in the statements run inside the block."""
    reads: set[tuple[type, str]] = set()
    owners = _owners_of_columns()

    def note(conn, statement, multiparams, params, execution_options) -> None:
        for element in visitors.iterate(statement):
            if isinstance(element, Column):
                reads.update(owners.get(element, ()))

    event.listen(engine, "before_execute", note)
    try:
        yield reads
    finally:
        event.remove(engine, "before_execute", note)


def undeclared(version: Version, reads: set[tuple[type, str]]) -> set[tuple[str, str]]:
    """The reads whose changes would not raise `version`. Primary keys never change; a
    relationship to one row counts as its foreign keys."""
    missing = set()
    for model, key in reads:
        declared = version.fields_of(model)
        if declared is None or key in declared:
            continue
        mapper = inspect(model)
        if key in {column.key for column in mapper.primary_key}:
            continue
        prop = mapper.attrs[key]
        to_one = isinstance(prop, RelationshipProperty) and prop.direction.name == "MANYTOONE"
        if to_one and {column.key for column in prop.local_columns} <= declared:
            continue
        missing.add((model.__name__, key))
    return missing


def uncounted_causes(version: Version, counter: Version) -> set[tuple[str, str]]:
    """The changes that raise `version` but not `counter`: output kept under a counter that
    carries the version (or was read under it) would outlive them."""
    missing = set()
    for raises in version.raised_by:
        for model in raises.models():
            unshown = {
                name
                for other in counter.raised_by
                if model in other.models()
                for name in other.unshown
            }
            counted = counter.fields_of(model)
            if counted is None:
                hidden = set(raises.fields or ()) & unshown
                missing.update((model.__name__, name) for name in hidden)
                if raises.fields is None and unshown:
                    missing.add((model.__name__, "(every change)"))
            elif raises.fields is None:
                missing.add((model.__name__, "(every change)"))
            else:
                missing.update((model.__name__, name) for name in set(raises.fields) - counted)
    return missing

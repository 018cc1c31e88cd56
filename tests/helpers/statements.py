"""Counting the SQL statements an app sends, for tests about work done (not its timing)."""

import re
from contextlib import contextmanager

from sqlalchemy import event, inspect

from portal.core.extensions import db


@contextmanager
def counted_queries(engine):
    """The statements the engine runs inside the block, as a list of SQL strings."""
    statements: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", note)


@contextmanager
def count_statements(app):
    """The statements the app's engine runs inside the block, as a list of SQL strings."""
    with app.app_context():
        engine = db.engine
    with counted_queries(engine) as statements:
        yield statements


_TABLE = re.compile(r"\b(?:FROM|JOIN)\s+\"?(\w+)")
_CTE = re.compile(r"\b(\w+) AS\s*(?:(?:NOT\s+)?MATERIALIZED\s*)?\(SELECT")


def tables_read(statements: list[str]) -> set[str]:
    """The tables the statements read (FROM or JOIN), the names of their CTEs left out."""
    read = {table for statement in statements for table in _TABLE.findall(statement)}
    return read - {name for statement in statements for name in _CTE.findall(statement)}


def tables_raising(version) -> set[str]:
    """The tables whose changes raise a kept version (core.kept.Version): its models' tables
    and their association tables, which change through their parent's collection."""
    tables = set()
    for raises in version.raised_by:
        for model in raises.models():
            tables.add(model.__table__.name)
            tables.update(
                relation.secondary.name
                for relation in inspect(model).relationships
                if relation.secondary is not None
            )
    return tables


def assert_kept(app, read, *forgotten: str) -> str:
    """`read()` (a page as its reader sees it) made anew, then served kept: for the reader's
    session and the kept pages' counter only (2 statements), the same as made anew, and the
    same again once the process stores named `forgotten` are emptied (the page then comes
    from what every server shares). Returns the kept page."""
    made = read()
    with count_statements(app) as statements:
        kept = read()
    assert len(statements) == 2, statements  # the reader's session, then the counter
    assert "kept_generations" in statements[1]
    assert kept == made
    for store in forgotten:
        app.extensions.pop(store, None)
    assert read() == kept
    return kept

"""Counting the SQL statements an app sends, for tests about work done (not its timing)."""

from contextlib import contextmanager

from sqlalchemy import event

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

"""Migrations on a brand-new database: the fixture that makes one, and the comparison of
the migrated schema with the models."""

import os
import uuid
from contextlib import contextmanager

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from portal.core.extensions import db
from portal.documents.search import is_search_index_table
from tests.conftest import BACKENDS, build_app


@contextmanager
def new_postgres_database():
    """A database of its own on the test server, dropped afterwards: the shared one is untouched."""
    server = make_url(os.environ["TEST_DATABASE_URL"])
    name = f"{server.database}_mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def _empty_database(kind: str, tmp_path):
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    else:
        with new_postgres_database() as url:
            yield url


@pytest.fixture(params=BACKENDS)
def fresh_app(request, tmp_path):
    """An app on a brand-new, empty database (no tables at all)."""
    with _empty_database(request.param, tmp_path) as url:
        app = build_app(url, tmp_path / "instance")
        with app.app_context():
            assert inspect(db.engine).get_table_names() == []
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def schema_differences(app) -> list:
    """What autogenerate would change: the models against the migrated database."""
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "render_as_batch": True, "include_name": _not_search_index},
        )
        return compare_metadata(context, db.metadata)


def _not_search_index(name, type_, parent_names) -> bool:
    return not (type_ == "table" and is_search_index_table(name))


def revision_below(revision: str) -> str:
    """The revision a migration goes down to (its down_revision), read from the scripts, so
    a test need not change when migrations are chained in another order."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from tests.conftest import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    return ScriptDirectory.from_config(config).get_revision(revision).down_revision

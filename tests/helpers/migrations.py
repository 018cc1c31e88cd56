"""Migrations on a brand-new database: the fixtures that make one (empty, or at the head
with the demo data in it), and the comparison of the migrated schema with the models."""

import os
import shutil
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import make_url

from portal.accounts.models import Role, User
from portal.core.extensions import db
from portal.core.tlp import TLP
from portal.documents.search import is_search_index_table
from portal.meetings import services as scheduling
from portal.mous.models import WorkingGroup
from tests.conftest import BACKENDS, MIGRATIONS, build_app, create_database, drop_database


@contextmanager
def new_postgres_database(template: str | None = None):
    """A database of its own on the test server (a copy of `template` if given), dropped
    afterwards: the shared one is untouched."""
    server = make_url(os.environ["TEST_DATABASE_URL"])
    name = f"{server.database}_mig_{uuid.uuid4().hex[:10]}"
    create_database(name, template)
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        drop_database(name)


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


DEMO_PASSWORD = "demo password for the migration test"


def migrated_demo(kind: str, folder) -> str:
    """A database at the head with the demo seeded: its file (SQLite) or its name."""
    if kind == "sqlite":
        path = folder / "demo.sqlite3"
        url, name = f"sqlite:///{path}", str(path)
    else:
        server = make_url(os.environ["TEST_DATABASE_URL"])
        name = f"{server.database}_demo_{uuid.uuid4().hex[:10]}"
        create_database(name)
        url = server.set(database=name).render_as_string(hide_password=False)
    app = build_app(url, folder / "instance")
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        result = app.test_cli_runner().invoke(args=["seed-demo", "--password", DEMO_PASSWORD])
        assert result.exit_code == 0, result.output
        db.session.remove()
        db.engine.dispose()  # a template database may have no one connected
    return name


@contextmanager
def _copy_of(kind: str, template: str, tmp_path):
    if kind == "sqlite":
        copy = tmp_path / "demo.sqlite3"
        shutil.copyfile(template, copy)
        yield f"sqlite:///{copy}"
    else:
        with new_postgres_database(template) as url:
            yield url


@pytest.fixture(params=BACKENDS)
def demo_app(request, tmp_path, demo_at_head):
    """An app on a database of its own at the head revision with the demo data (seeded with
    DEMO_PASSWORD): where a migration test starts going down and up again."""
    with _copy_of(request.param, demo_at_head(request.param), tmp_path) as url:
        app = build_app(url, tmp_path / "instance")
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

    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    return ScriptDirectory.from_config(config).get_revision(revision).down_revision


def index_names(*tables: str) -> set[tuple[str, str]]:
    """(table, index name) of every index of these tables, as the database has them."""
    inspector = inspect(db.engine)
    return {(table, index["name"]) for table in tables for index in inspector.get_indexes(table)}


def row_counts(*tables: str) -> dict[str, int]:
    return {
        table: db.session.scalar(text(f'SELECT count(*) FROM "{table}"'))  # noqa: S608  (names of the tests)
        for table in tables
    }


def assert_indexes_go_down_and_up(
    app,
    revision: str,
    added: set[tuple[str, str]],
    replaced: frozenset[tuple[str, str]] = frozenset(),
) -> None:
    """A migration that only adds indexes (`added`, perhaps in place of `replaced`) goes down
    and up on the demo data (`app` is a `demo_app`): the indexes come and go, every row of
    their tables stays."""
    tables = sorted({table for table, _name in added | replaced})

    def indexes_are(there: set, gone: set) -> None:
        present = index_names(*tables)
        assert there <= present and present.isdisjoint(gone), present

    with app.app_context():
        before = row_counts(*tables)
        assert any(before.values()), before  # rows for the indexes to hold
        indexes_are(added, replaced)
        db.session.commit()

        downgrade(directory=MIGRATIONS, revision=revision_below(revision))
        db.session.remove()
        indexes_are(replaced, added)
        assert row_counts(*tables) == before
        db.session.commit()

        upgrade(directory=MIGRATIONS)
        db.session.remove()
        indexes_are(added, replaced)
        assert row_counts(*tables) == before
        db.session.commit()
    assert schema_differences(app) == []


def schedule_in_the_demo(title: str, recurrence=None):
    """(in a request context of a demo app) Schedule a meeting, or a series, of the demo's
    first group as its administrator, through the service; the first meeting, uncommitted."""
    group = db.session.scalars(select(WorkingGroup).order_by(WorkingGroup.id)).first()
    actor = db.session.scalars(
        select(User).where(User.role == Role.ADMINISTRATOR).order_by(User.id)
    ).first()
    start = datetime(2031, 3, 4, 10, 0)
    details = scheduling.MeetingDetails(
        title_en=title,
        title_es="",
        description_md="",
        start_local=start,
        end_local=start + timedelta(hours=1),
        timezone="Europe/London",
        place="",
        video_url="",
        tlp=TLP.GREEN,
    )
    return scheduling.schedule_meeting(
        db.session, actor, group, details, recurrence, confirm_off_hours=True
    )

"""Revision 0028_page_indexes: the indexes of the slow pages go down and up on a populated
database (the demo data), leaving the rows as they were. On PostgreSQL the portal's
connections run without JIT compiling (portal/__init__.py)."""

from alembic.config import Config
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select, text

from portal.core.extensions import db
from portal.documents.models import Document
from portal.meetings.models import Meeting
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import fresh_app, schema_differences  # noqa: F401  (a fixture)

REVISION = "0028_page_indexes"
INDEXES = {
    ("meetings", "ix_meetings_group_end"),
    ("documents", "ix_documents_created_at"),
    ("documents", "ix_documents_group_updated"),
}
DEMO_PASSWORD = "demo password for the migration test"


def _below() -> str:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    return ScriptDirectory.from_config(config).get_revision(REVISION).down_revision


def _indexes() -> set[tuple[str, str]]:
    inspector = inspect(db.engine)
    return {
        (table, index["name"])
        for table in ("meetings", "documents")
        for index in inspector.get_indexes(table)
    }


def _counts() -> dict[str, int]:
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Meeting, Document)
    }


def test_the_page_indexes_go_down_and_up_with_data_in_them(fresh_app):  # noqa: F811
    with fresh_app.app_context():
        upgrade(directory=MIGRATIONS)
        result = fresh_app.test_cli_runner().invoke(args=["seed-demo", "--password", DEMO_PASSWORD])
        assert result.exit_code == 0, result.output
        before = _counts()
        assert before["meetings"] > 0 and before["documents"] > 0
        assert _indexes() >= INDEXES
        if db.engine.dialect.name == "postgresql":
            assert db.session.scalar(text("SHOW jit")) == "off"
        db.session.commit()

        downgrade(directory=MIGRATIONS, revision=_below())
        db.session.remove()
        assert _indexes().isdisjoint(INDEXES)
        assert _counts() == before
        db.session.commit()

        upgrade(directory=MIGRATIONS)
        db.session.remove()
        assert _indexes() >= INDEXES
        assert _counts() == before
        db.session.commit()
    assert schema_differences(fresh_app) == []

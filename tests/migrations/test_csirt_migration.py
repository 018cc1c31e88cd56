"""Revision 0022_csirt_bulletins goes up and down on a populated database (the demo data,
CSIRT bulletins included), leaving everything else as it was, and up again."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from portal.core.extensions import db
from portal.web.commands import seed_demo
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import fresh_app, schema_differences  # noqa: F401  (a fixture)

CSIRT_TABLES = {
    "csirt_teams",
    "csirt_members",
    "csirt_bulletins",
    "csirt_bulletin_readers",
    "csirt_indicators",
    "csirt_attachments",
    "csirt_acknowledgements",
}


def _count(table: str) -> int:
    return db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar()  # noqa: S608


def test_csirt_migration_goes_down_and_up_with_data(fresh_app):  # noqa: F811
    with fresh_app.test_request_context():
        upgrade(directory=MIGRATIONS)
        seed_demo(db.session, "demo password for the migration test")
        db.session.commit()
        assert _count("csirt_bulletins") == 12
        assert _count("csirt_members") == 6
        assert _count("csirt_acknowledgements") > 0
        users, documents = _count("users"), _count("documents")
        db.session.remove()

        downgrade(directory=MIGRATIONS, revision="0018_externals")
        assert not CSIRT_TABLES & set(inspect(db.engine).get_table_names())
        assert (_count("users"), _count("documents")) == (users, documents)
        db.session.remove()

        upgrade(directory=MIGRATIONS)
        assert set(inspect(db.engine).get_table_names()) >= CSIRT_TABLES
        seed_demo(db.session, "demo password for the migration test")
        db.session.commit()
        assert _count("csirt_bulletins") == 12
        db.session.remove()
    assert schema_differences(fresh_app) == []

"""Revision 0032_list_indexes: the owners' index on (user_id, action_item_id) goes down and up
on a populated database (the demo data), leaving the rows as they were."""

from alembic.config import Config
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select

from portal.actions.models import action_owners
from portal.core.extensions import db
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import fresh_app, schema_differences  # noqa: F401  (a fixture)

REVISION = "0032_list_indexes"
NEW, OLD = "ix_action_item_owners_user_item", "ix_action_item_owners_user_id"
DEMO_PASSWORD = "demo password for the migration test"


def _below() -> str:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    return ScriptDirectory.from_config(config).get_revision(REVISION).down_revision


def _indexes() -> set[str]:
    return {index["name"] for index in inspect(db.engine).get_indexes("action_item_owners")}


def _owners() -> int:
    return db.session.scalar(select(func.count()).select_from(action_owners))


def test_the_owners_index_goes_down_and_up_with_data_in_it(fresh_app):  # noqa: F811
    with fresh_app.app_context():
        upgrade(directory=MIGRATIONS)
        result = fresh_app.test_cli_runner().invoke(args=["seed-demo", "--password", DEMO_PASSWORD])
        assert result.exit_code == 0, result.output
        before = _owners()
        assert before > 0
        assert NEW in _indexes() and OLD not in _indexes()
        db.session.commit()

        downgrade(directory=MIGRATIONS, revision=_below())
        db.session.remove()
        assert OLD in _indexes() and NEW not in _indexes()
        assert _owners() == before
        db.session.commit()

        upgrade(directory=MIGRATIONS)
        db.session.remove()
        assert NEW in _indexes() and OLD not in _indexes()
        assert _owners() == before
        db.session.commit()
    assert schema_differences(fresh_app) == []

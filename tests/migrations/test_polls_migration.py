"""Revision 0021_time_polls: the poll tables go up and down on a populated database (the
demo data, polls included), leaving everything else as it was."""

from alembic.config import Config
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select, text

from portal.accounts.models import User
from portal.core.extensions import db
from portal.meetings.models import Meeting
from portal.mous.models import WorkingGroup
from portal.polls.models import Poll, PollAnswer, PollStatus
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import demo_app, schema_differences  # noqa: F401  (a fixture)

REVISION = "0021_time_polls"
POLL_TABLES = {"polls", "poll_options", "poll_participants", "poll_answers"}
DEMO_PASSWORD = "demo password for the migration test"


def _below() -> str:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    return ScriptDirectory.from_config(config).get_revision(REVISION).down_revision


def _head() -> str:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    return ScriptDirectory.from_config(config).get_current_head()


def _counts() -> dict[str, int]:
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in (User, WorkingGroup, Meeting)
    }


def _seed(app) -> None:
    result = app.test_cli_runner().invoke(args=["seed-demo", "--password", DEMO_PASSWORD])
    assert result.exit_code == 0, result.output


def test_poll_tables_go_down_and_up_with_data_in_them(demo_app):  # noqa: F811
    with demo_app.app_context():
        statuses = set(db.session.scalars(select(Poll.status)))
        assert statuses == {PollStatus.OPEN, PollStatus.CLOSED}
        assert db.session.scalar(select(func.count()).select_from(PollAnswer)) > 0
        before = _counts()
        db.session.commit()

        downgrade(directory=MIGRATIONS, revision=_below())
        db.session.remove()
        assert POLL_TABLES.isdisjoint(inspect(db.engine).get_table_names())
        assert _counts() == before
        db.session.commit()

        upgrade(directory=MIGRATIONS)
        db.session.remove()
        assert set(inspect(db.engine).get_table_names()) >= POLL_TABLES
        assert db.session.scalar(select(func.count()).select_from(Poll)) == 0
        assert _counts() == before
        version = db.session.scalar(text("SELECT version_num FROM alembic_version"))
        assert version == _head()
        db.session.commit()
        # Seeding again adds the demo polls back (and nothing twice).
        _seed(demo_app)
        _seed(demo_app)
        assert db.session.scalar(select(func.count()).select_from(Poll)) == 2
        db.session.commit()
    assert schema_differences(demo_app) == []

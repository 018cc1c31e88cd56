"""Revision 0030_dashboard_indexes: the dashboard's partial indexes (open action items,
circulated minutes) go down and up on a populated database (the demo data), leaving the
rows as they were."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select

from portal.actions.models import ActionItem
from portal.core.extensions import db
from portal.meetings.models import Minutes
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import (  # noqa: F401  (fresh_app: a fixture)
    fresh_app,
    revision_below,
    schema_differences,
)

REVISION = "0030_dashboard_indexes"
INDEXES = {("action_items", "ix_action_items_active_due"), ("minutes", "ix_minutes_circulated")}
DEMO_PASSWORD = "demo password for the migration test"


def _indexes() -> set[tuple[str, str]]:
    inspector = inspect(db.engine)
    return {
        (table, index["name"])
        for table in ("action_items", "minutes")
        for index in inspector.get_indexes(table)
    }


def _counts() -> dict[str, int]:
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in (ActionItem, Minutes)
    }


def test_the_dashboard_indexes_go_down_and_up_with_data_in_them(fresh_app):  # noqa: F811
    with fresh_app.app_context():
        upgrade(directory=MIGRATIONS)
        result = fresh_app.test_cli_runner().invoke(args=["seed-demo", "--password", DEMO_PASSWORD])
        assert result.exit_code == 0, result.output
        before = _counts()
        assert before["action_items"] > 0
        assert _indexes() >= INDEXES
        db.session.commit()

        downgrade(directory=MIGRATIONS, revision=revision_below(REVISION))
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

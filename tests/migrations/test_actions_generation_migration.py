"""Revision 0051_actions_generation: the counter of the action list's kept choices goes down
and up on a populated database (the demo data), leaving the items as they were; it comes back
at 0, raised by the next change the choices show."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select

from portal.actions.models import ActionItem
from portal.core.extensions import db
from portal.core.kept import KeptGeneration
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import (  # noqa: F401  (a fixture)
    demo_app,
    revision_below,
    schema_differences,
)

REVISION = "0051_actions_generation"


def _items() -> int:
    return db.session.scalar(select(func.count()).select_from(ActionItem))


def _generations() -> dict[str, int]:
    return dict(db.session.execute(select(KeptGeneration.name, KeptGeneration.generation)).all())


def test_the_actions_generation_goes_down_and_up_with_data_in_it(demo_app):  # noqa: F811
    with demo_app.app_context():
        before = _items()
        assert before > 0
        db.session.commit()

        downgrade(directory=MIGRATIONS, revision=revision_below(REVISION))
        db.session.remove()
        assert "actions" not in _generations()
        assert _items() == before
        db.session.commit()

        upgrade(directory=MIGRATIONS)
        db.session.remove()
        assert _items() == before
        assert _generations()["actions"] == 0
        item = db.session.scalars(select(ActionItem)).first()
        item.title_en = "Share the incident playbook, updated"
        db.session.commit()
        assert _generations()["actions"] == 1
        assert schema_differences(demo_app) == []

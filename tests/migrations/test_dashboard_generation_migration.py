"""Revision 0040_dashboard_generation: the dashboard's generation goes down and up on a
populated database (the demo data), leaving the rows as they were; it comes back as one row
at 0, raised by the next change the dashboard counts."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select

from portal.core.extensions import db
from portal.core.kept import KeptGeneration
from portal.meetings.models import Meeting
from portal.mous.models import Mou
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import (  # noqa: F401  (a fixture)
    demo_app,
    revision_below,
    schema_differences,
)

REVISION = "0040_dashboard_generation"


def _counts() -> dict[str, int]:
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Mou, Meeting)
    }


def _generations() -> dict[str, int]:
    return dict(db.session.execute(select(KeptGeneration.name, KeptGeneration.generation)).all())


def test_the_dashboard_generation_goes_down_and_up_with_data_in_it(demo_app):  # noqa: F811
    with demo_app.app_context():
        before = _counts()
        assert before["mous"] > 0 and before["meetings"] > 0
        db.session.commit()

        downgrade(directory=MIGRATIONS, revision=revision_below(REVISION))
        db.session.remove()
        assert "kept_generations" not in inspect(db.engine).get_table_names()
        assert _counts() == before
        db.session.commit()

        upgrade(directory=MIGRATIONS)
        db.session.remove()
        assert _counts() == before
        assert _generations()["dashboard"] == 0
        meeting = db.session.scalars(select(Meeting)).first()
        meeting.place = "Moved to the other room"
        db.session.commit()
        assert _generations()["dashboard"] == 1
        assert schema_differences(demo_app) == []

"""Revision 0042_search_generation: the kept search pages' counter goes down and up on a
populated database (the demo data), leaving the rows as they were; it comes back at 0,
raised by the next change a search shows."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select

from portal.core.extensions import db
from portal.core.kept import KeptGeneration
from portal.meetings.models import Meeting
from portal.mous.models import Mou, WorkingGroup
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import (  # noqa: F401  (a fixture)
    demo_app,
    revision_below,
    schema_differences,
)

REVISION = "0042_search_generation"


def _counts() -> dict[str, int]:
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Mou, WorkingGroup, Meeting)
    }


def _generations() -> dict[str, int]:
    return dict(db.session.execute(select(KeptGeneration.name, KeptGeneration.generation)).all())


def test_the_search_generation_goes_down_and_up_with_data_in_it(demo_app):  # noqa: F811
    with demo_app.app_context():
        before = _counts()
        assert before["mous"] > 0 and before["working_groups"] > 0
        db.session.commit()

        downgrade(directory=MIGRATIONS, revision=revision_below(REVISION))
        db.session.remove()
        assert "search" not in _generations()
        assert _counts() == before
        db.session.commit()

        upgrade(directory=MIGRATIONS)
        db.session.remove()
        assert _counts() == before
        assert _generations()["search"] == 0
        meeting = db.session.scalars(select(Meeting)).first()
        meeting.title_en = "A renamed meeting"
        db.session.commit()
        assert _generations()["search"] == 1
        assert schema_differences(demo_app) == []

"""Revision 0029_report_version: the MoUs' report version goes down and up on a populated
database (the demo data), leaving the rows as they were; it comes back at 0 and is raised by
the next change a report counts."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select

from portal.core.extensions import db
from portal.meetings.models import Meeting
from portal.mous.models import Mou
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import (  # noqa: F401  (a fixture)
    demo_app,
    revision_below,
    schema_differences,
)

REVISION = "0029_report_version"


def _columns() -> set[str]:
    return {column["name"] for column in inspect(db.engine).get_columns("mous")}


def _counts() -> dict[str, int]:
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Mou, Meeting)
    }


def test_the_report_version_goes_down_and_up_with_data_in_it(demo_app):  # noqa: F811
    with demo_app.app_context():
        before = _counts()
        assert before["mous"] > 0 and before["meetings"] > 0
        assert "report_version" in _columns()
        db.session.commit()

        downgrade(directory=MIGRATIONS, revision=revision_below(REVISION))
        db.session.remove()
        assert "report_version" not in _columns()
        assert _counts() == before
        db.session.commit()

        upgrade(directory=MIGRATIONS)
        db.session.remove()
        assert _counts() == before
        assert set(db.session.scalars(select(Mou.report_version))) == {0}
        meeting = db.session.scalars(select(Meeting)).first()
        meeting.place = "Moved to the other room"
        db.session.commit()
        mou_id = meeting.working_group.mou_id
        assert db.session.get(Mou, mou_id).report_version == 1
        db.session.commit()
    assert schema_differences(demo_app) == []

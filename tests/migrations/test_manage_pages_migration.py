"""Revision 0043_manage_pages: the kept management pages' table goes down and up on a
populated database (the demo data), leaving the meetings as they were; it comes back
empty, and the next manager who opens a meeting's page keeps it there."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select

from portal.core.extensions import db
from portal.meetings.manage_kept import store_manage_pages
from portal.meetings.models import ManagePage, Meeting
from portal.meetings.queries import MANAGE_PAGE_OPTIONS, load_meeting
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import (  # noqa: F401  (a fixture)
    demo_app,
    revision_below,
    schema_differences,
)

REVISION = "0043_manage_pages"


def _meetings() -> int:
    return db.session.scalar(select(func.count()).select_from(Meeting))


def test_the_manage_pages_go_down_and_up_with_data_in_it(demo_app):  # noqa: F811
    with demo_app.app_context():
        before = _meetings()
        assert before > 0
        db.session.commit()

        downgrade(directory=MIGRATIONS, revision=revision_below(REVISION))
        db.session.remove()
        assert "meeting_manage_pages" not in inspect(db.engine).get_table_names()
        assert _meetings() == before
        db.session.commit()

        upgrade(directory=MIGRATIONS)
        db.session.remove()
        assert _meetings() == before
        assert db.session.scalar(select(func.count()).select_from(ManagePage)) == 0
        meeting_id, version = db.session.execute(select(Meeting.id, Meeting.page_version)).first()
        with demo_app.test_request_context():
            meeting = load_meeting(db.session, meeting_id, MANAGE_PAGE_OPTIONS)
            store_manage_pages(db.session, meeting, version)
            db.session.commit()
        kept = db.session.scalars(select(ManagePage.language)).all()
        assert sorted(kept) == sorted(demo_app.config["LANGUAGES"])
        assert schema_differences(demo_app) == []

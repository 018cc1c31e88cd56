"""Revision 0045_manage_people: the management page's kept picker and the accounts' counter
go down and up on a populated database (the demo data) with kept pages in it, leaving the
pages' bodies as they were (without a picker kept), and the counter comes back at 0, raised
by the next change of an account."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select

from portal.accounts.models import User
from portal.core.extensions import db
from portal.core.kept import KeptGeneration
from portal.meetings.manage_kept import store_manage_pages
from portal.meetings.models import ManagePage, Meeting
from portal.meetings.queries import MANAGE_PAGE_OPTIONS, load_meeting
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import (  # noqa: F401  (a fixture)
    demo_app,
    revision_below,
    schema_differences,
)

REVISION = "0045_manage_people"


def _bodies() -> list[tuple]:
    columns = (ManagePage.meeting_id, ManagePage.language, ManagePage.version, ManagePage.html)
    return db.session.execute(select(*columns).order_by(*columns[:2])).all()


def _generations() -> dict[str, int]:
    return dict(db.session.execute(select(KeptGeneration.name, KeptGeneration.generation)).all())


def test_the_kept_picker_goes_down_and_up_with_kept_pages_in_it(demo_app):  # noqa: F811
    with demo_app.app_context():
        meeting_id, version = db.session.execute(select(Meeting.id, Meeting.page_version)).first()
        with demo_app.test_request_context():
            store_manage_pages(
                db.session, load_meeting(db.session, meeting_id, MANAGE_PAGE_OPTIONS), version
            )
            db.session.commit()
        bodies = _bodies()
        assert bodies and all(row.picker for row in db.session.scalars(select(ManagePage)))
        people = db.session.scalar(select(func.count()).select_from(User))
        db.session.commit()

        downgrade(directory=MIGRATIONS, revision=revision_below(REVISION))
        db.session.remove()
        columns = {c["name"] for c in inspect(db.engine).get_columns("meeting_manage_pages")}
        assert "picker" not in columns and "people_generation" not in columns
        assert "people" not in _generations()
        db.session.commit()

        upgrade(directory=MIGRATIONS)
        db.session.remove()
        assert _generations()["people"] == 0
        assert _bodies() == bodies
        assert db.session.scalar(select(func.count()).select_from(User)) == people
        kept = db.session.scalars(select(ManagePage)).all()
        assert all(row.picker is None and row.people_generation is None for row in kept)
        person = db.session.scalars(select(User)).first()
        person.name = "A renamed person"
        db.session.commit()
        assert _generations()["people"] == 1
        assert schema_differences(demo_app) == []

"""Revision 0044_pending_series: the table of series waiting for their later invitations
goes down and up on a populated database (the demo data), leaving the meetings and their
invitations as they were; it comes back empty, and a series scheduled then is pending until
the outbox worker's first step invites its later meetings."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select

from portal.core.extensions import db
from portal.meetings.models import Invitee, Meeting, PendingSeriesInvitations
from portal.meetings.recurrence import Frequency, Recurrence
from portal.notifications.worker import before_sending
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import (  # noqa: F401  (a fixture)
    demo_app,
    revision_below,
    schedule_in_the_demo,
    schema_differences,
)

REVISION = "0044_pending_series"


def _counts() -> tuple[int, int]:
    meetings = db.session.scalar(select(func.count()).select_from(Meeting))
    return meetings, db.session.scalar(select(func.count()).select_from(Invitee))


def test_the_pending_series_table_goes_down_and_up_with_data_in_it(demo_app):  # noqa: F811
    with demo_app.app_context():
        before = _counts()
        assert before[0] > 0 and before[1] > 0
        db.session.commit()

        downgrade(directory=MIGRATIONS, revision=revision_below(REVISION))
        db.session.remove()
        assert "pending_series_invitations" not in inspect(db.engine).get_table_names()
        assert _counts() == before
        db.session.commit()

        upgrade(directory=MIGRATIONS)
        db.session.remove()
        assert _counts() == before
        assert db.session.scalar(select(func.count(PendingSeriesInvitations.series_id))) == 0
        assert schema_differences(demo_app) == []

    with demo_app.test_request_context():
        first = schedule_in_the_demo("Weekly call", Recurrence(Frequency.WEEKLY, count=3))
        later = [m.id for m in first.series.meetings[1:]]
        people = len(first.invitees)
        db.session.commit()
        assert db.session.scalar(select(func.count(PendingSeriesInvitations.series_id))) == 1
        assert before_sending(db.session) == 2  # the series' mails, its later invitations
        invited = db.session.scalar(select(func.count()).where(Invitee.meeting_id.in_(later)))
        assert people > 0 and invited == people * len(later)

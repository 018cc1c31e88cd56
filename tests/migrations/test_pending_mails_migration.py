"""Revision 0046_pending_mails: the table of meetings whose invitation mails are still to be
written goes down and up on a populated database (the demo data), leaving the meetings, their
invitations and the outbox as they were. Going down refuses while a meeting's mails are
pending (the older code would never send them), and works once the outbox worker wrote them."""

from datetime import datetime, timedelta

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select

from portal.accounts.models import Role, User
from portal.core.extensions import db
from portal.core.tlp import TLP
from portal.meetings import services as scheduling
from portal.meetings.models import Invitee, Meeting, PendingInvitationMails
from portal.mous.models import WorkingGroup
from portal.notifications.models import OutboxMessage
from portal.notifications.worker import before_sending
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import (  # noqa: F401  (a fixture)
    demo_app,
    revision_below,
    schema_differences,
)

REVISION = "0046_pending_mails"


def _counts() -> tuple[int, int, int]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Meeting, Invitee, OutboxMessage)
    )


def _schedule_meeting() -> None:
    group = db.session.scalars(select(WorkingGroup).order_by(WorkingGroup.id)).first()
    actor = db.session.scalars(
        select(User).where(User.role == Role.ADMINISTRATOR).order_by(User.id)
    ).first()
    start = datetime(2031, 3, 4, 10, 0)
    details = scheduling.MeetingDetails(
        title_en="Incident review",
        title_es="",
        description_md="",
        start_local=start,
        end_local=start + timedelta(hours=1),
        timezone="Europe/London",
        place="",
        video_url="",
        tlp=TLP.GREEN,
    )
    scheduling.schedule_meeting(db.session, actor, group, details, confirm_off_hours=True)
    db.session.commit()


def test_the_pending_mails_table_goes_down_and_up_and_never_drops_a_pending_mail(
    demo_app,  # noqa: F811
    capsys,
):
    below = revision_below(REVISION)
    with demo_app.test_request_context():
        _schedule_meeting()
    with demo_app.app_context():
        assert db.session.scalar(select(func.count(PendingInvitationMails.meeting_id))) == 1
        db.session.commit()
        with pytest.raises(SystemExit):  # Flask-Migrate logs the refusal and exits
            downgrade(directory=MIGRATIONS, revision=below)
        assert "1 new meetings' invitation mails are still to be written" in capsys.readouterr().err
        db.session.remove()
        assert "pending_invitation_mails" in inspect(db.engine).get_table_names()

        assert before_sending(db.session) == 1
        before = _counts()
        assert before[2] > 0
        db.session.commit()
        downgrade(directory=MIGRATIONS, revision=below)
        db.session.remove()
        assert "pending_invitation_mails" not in inspect(db.engine).get_table_names()
        assert _counts() == before
        db.session.commit()

        upgrade(directory=MIGRATIONS)
        db.session.remove()
        assert _counts() == before
        assert db.session.scalar(select(func.count(PendingInvitationMails.meeting_id))) == 0
        assert schema_differences(demo_app) == []

"""Revision 0046_pending_mails: the table of meetings whose invitation mails are still to be
written goes down and up on a populated database (the demo data), leaving the meetings, their
invitations and the outbox as they were. Going down refuses while a meeting's mails are
pending (the older code would never send them), and works once the outbox worker wrote them."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select

from portal.core.extensions import db
from portal.meetings.models import Invitee, Meeting, PendingInvitationMails
from portal.notifications.models import OutboxMessage
from portal.notifications.worker import before_sending
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import (  # noqa: F401  (a fixture)
    demo_app,
    revision_below,
    schedule_in_the_demo,
    schema_differences,
)

REVISION = "0046_pending_mails"


def _counts() -> tuple[int, int, int]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Meeting, Invitee, OutboxMessage)
    )


def test_the_pending_mails_table_goes_down_and_up_and_never_drops_a_pending_mail(
    demo_app,  # noqa: F811
    capsys,
):
    below = revision_below(REVISION)
    with demo_app.test_request_context():
        schedule_in_the_demo("Incident review")
        db.session.commit()
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

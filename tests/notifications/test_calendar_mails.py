"""Issue 13 item 2: calendars never fall out of step.

Every mail that puts an event in a calendar, moves it or takes it out (meeting and training
invitation, change, cancellation, registration, promotion from the waiting list) goes out
whatever the person chose for its category, and carries no link that would stop it.
"""

from datetime import timedelta

from sqlalchemy import select

from portal.core.db import utcnow
from portal.core.extensions import db
from portal.meetings import notifications as meeting_mail
from portal.meetings.models import Meeting
from portal.notifications.categories import calendar_kinds, category_of
from portal.notifications.models import Delivery, DigestItem, NotificationPreference, OutboxMessage
from portal.trainings import notifications as training_mail
from tests import factories
from tests.conftest import login

INFORMATIONAL = {"reminder", "certificate_available", "feedback_requested"}


def _choose(session, user, category: str, delivery: Delivery) -> None:
    session.merge(NotificationPreference(user_id=user.id, category=category, delivery=delivery))
    session.commit()


def _sent(session, kind: str) -> dict[str, OutboxMessage]:
    session.expire_all()
    rows = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind))
    return {row.recipient: row for row in rows}


def test_calendar_mails_go_out_whatever_the_choice_without_an_unsubscribe_link(app, session, world):
    _choose(session, world.member_cl, "meetings", Delivery.OFF)
    _choose(session, world.member_gb, "meetings", Delivery.DIGEST)
    _choose(session, world.member_cl, "trainings", Delivery.OFF)
    people = [world.coordinator_cl, world.member_cl, world.member_gb]
    meeting = factories.make_meeting(
        session, world.group, utcnow() + timedelta(days=3), invitees=people
    )
    training = factories.make_training(session, world.mou, utcnow() + timedelta(days=5))
    registration = factories.make_registration(session, training, world.member_cl)
    session.commit()

    with app.test_request_context():
        meeting = db.session.get(Meeting, meeting.id)
        meeting_mail.meeting_changed(db.session, meeting, ["time"])
        meeting_mail.meeting_cancelled(db.session, meeting)
        registration = db.session.merge(registration)
        training_mail.registration_confirmed(db.session, registration)
        training_mail.registration_promoted(db.session, registration)
        db.session.commit()

    everyone = sorted(p.email for p in people)
    for kind in ("meeting_change", "meeting_cancellation"):
        sent = _sent(session, kind)
        assert sorted(sent) == everyone, kind
        for mail in sent.values():
            assert mail.ics_content and mail.unsubscribe_url is None
            assert "Stop these emails" not in mail.body_text
            assert "Deja de recibir" not in mail.body_text
    for kind in ("training_confirmed", "training_promoted"):
        [mail] = _sent(session, kind).values()
        assert mail.recipient == world.member_cl.email and mail.unsubscribe_url is None
    assert session.scalars(select(DigestItem)).all() == []


def test_every_mail_that_changes_a_calendar_is_of_the_kinds_that_ignore_the_choice(app):
    meeting_kinds = {f"meeting_{kind}" for kind in meeting_mail.METHODS}
    training_kinds = {f"training_{kind}" for kind in training_mail.MAILS} - {
        f"training_{kind}" for kind in INFORMATIONAL
    }
    with app.app_context():  # the kinds are those the app's features declare
        assert meeting_kinds | training_kinds == calendar_kinds()
        assert all(category_of(kind) is None for kind in calendar_kinds())
        assert category_of("meeting_reminder") == "meetings"
        assert category_of("training_reminder") == "trainings"


def test_the_preferences_page_says_calendar_mails_are_always_sent(client, session, world):
    login(client, world.member_gb)
    page = client.get("/account/notifications").get_data(as_text=True)
    assert "meeting and training invitations, changes and cancellations" in page
    assert "have no unsubscribe link" in page

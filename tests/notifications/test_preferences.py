"""Preferences decide what is queued: off sends nothing, digest waits for the daily summary,
mandatory kinds ignore both; the one-click unsubscribe link works without login.

The informational mail of these tests is the meeting reminder: changes and cancellations
carry the calendar and ignore the choice (test_calendar_mails.py)."""

from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sqlalchemy import select

from portal.core.db import utcnow
from portal.core.extensions import db
from portal.meetings import notifications as meeting_mail
from portal.meetings.models import Meeting
from portal.meetings.reminders import queue_meeting_reminders
from portal.notifications.digests import send_digests
from portal.notifications.models import (
    Delivery,
    DigestItem,
    NotificationPreference,
    OutboxMessage,
)
from tests import factories
from tests.helpers.notifications import run_worker
from tests.notifications.conftest import parse_bytes, raw


def _choose(session, user, category: str, delivery: Delivery) -> None:
    session.merge(NotificationPreference(user_id=user.id, category=category, delivery=delivery))
    session.commit()


def _meeting(session, world) -> int:
    people = [world.coordinator_cl, world.member_cl, world.member_gb]
    meeting = factories.make_meeting(
        session, world.group, utcnow() + timedelta(days=3), invitees=people
    )
    session.commit()
    return meeting.id


def _mail(app, meeting_id: int, *send) -> None:
    """Queue meeting mails in a request of the app, as the meeting pages and cron do, and
    commit: "reminder" is the one-day reminder, "reminder_1h" the one-hour one."""
    with app.test_request_context():
        meeting = db.session.get(Meeting, meeting_id)
        if "reminder" in send:
            queue_meeting_reminders(db.session, meeting.starts_at - timedelta(hours=20))
        if "reminder_1h" in send:
            queue_meeting_reminders(db.session, meeting.starts_at - timedelta(minutes=50))
        if "change" in send:
            meeting_mail.meeting_changed(db.session, meeting, ["title"])
        if "invitation" in send:
            meeting_mail.meeting_scheduled(db.session, meeting, list(meeting.invitees))
        db.session.commit()


def _outbox(session) -> list[tuple[str, str]]:
    session.expire_all()
    rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
    return [(row.kind, row.recipient) for row in rows]


def test_off_sends_nothing_digest_holds_and_mandatory_kinds_ignore_both(app, session, world):
    _choose(session, world.member_cl, "meetings", Delivery.OFF)
    _choose(session, world.member_gb, "meetings", Delivery.DIGEST)
    meeting_id = _meeting(session, world)
    _mail(app, meeting_id, "reminder", "change", "invitation")

    outbox = _outbox(session)
    assert [r for k, r in outbox if k == "meeting_reminder"] == [world.coordinator_cl.email]
    invited = sorted(r for k, r in outbox if k == "meeting_invitation")
    assert invited == sorted(
        [world.coordinator_cl.email, world.member_cl.email, world.member_gb.email]
    )
    [held] = session.scalars(select(DigestItem)).all()
    assert (held.user_id, held.kind, held.category) == (
        world.member_gb.id,
        "meeting_reminder",
        "meetings",
    )
    assert held.subject.startswith("[TLP:AMBER] ")
    assert held.link.endswith(f"/meetings/{meeting_id}")


def test_the_digest_gathers_the_day_in_one_mail_once_a_day(app, session, world, smtp_inbox):
    _choose(session, world.member_gb, "meetings", Delivery.DIGEST)
    meeting_id = _meeting(session, world)
    _mail(app, meeting_id, "reminder")
    _mail(app, meeting_id, "reminder_1h")

    app.config["OUTBOX_DIGEST_LOCAL_HOUR"] = 0  # whatever the hour the suite runs at
    assert "1 digests queued" in app.test_cli_runner().invoke(args=["outbox", "digest"]).output
    assert "0 digests queued" in app.test_cli_runner().invoke(args=["outbox", "digest"]).output
    run_worker(app)
    digests = [e for e in smtp_inbox.envelopes if e.rcpt_tos == [world.member_gb.email]]
    [envelope] = digests
    mail = parse_bytes(raw(envelope))
    assert mail["Subject"] == "Your daily summary: 2 notifications"
    text = mail.get_body(("plain",)).get_content()
    assert text.count(": Working group meeting") == 2
    assert "(Europe/London)" in text  # her zone
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    _mail(app, _meeting(session, world), "reminder")  # after today's digest: waits
    app.config["OUTBOX_DIGEST_LOCAL_HOUR"] = 7
    tomorrow = datetime.combine(
        date.today() + timedelta(days=2), time(6, 59), ZoneInfo("Europe/London")
    )
    with app.test_request_context():
        assert send_digests(db.session) == 0
        assert send_digests(db.session, now=tomorrow) == 0  # before 07:00 on her clock
        assert send_digests(db.session, now=tomorrow + timedelta(minutes=1)) == 1
        db.session.commit()


def test_one_click_unsubscribe_works_without_login_once(app, session, world, smtp_inbox, client):
    meeting_id = _meeting(session, world)
    _mail(app, meeting_id, "reminder", "invitation")
    run_worker(app)
    kinds = {row.message_id: row.kind for row in session.scalars(select(OutboxMessage))}
    hers = {
        kinds[mail["Message-ID"]]: mail
        for mail in (parse_bytes(raw(e)) for e in smtp_inbox.envelopes)
        if mail["To"] == world.member_cl.email
    }
    change, invitation = hers["meeting_reminder"], hers["meeting_invitation"]
    assert invitation["List-Unsubscribe"] is None  # mandatory: nothing to turn off
    assert change["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = change["List-Unsubscribe"].strip("<>")
    assert url.startswith("http://portal.test/unsubscribe/")
    assert url in change.get_body(("plain",)).get_content()
    path = urlsplit(url).path

    page = client.get(path)
    assert page.status_code == 200 and 'lang="es"' in page.get_data(as_text=True)
    assert session.get(NotificationPreference, (world.member_cl.id, "meetings")) is None

    first = client.post(path, data={"List-Unsubscribe": "One-Click"})  # no login, no CSRF
    assert first.status_code == 200
    session.expire_all()
    preference = session.get(NotificationPreference, (world.member_cl.id, "meetings"))
    assert preference.delivery == Delivery.OFF
    second = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert second.status_code == 200
    assert first.get_data(as_text=True) != second.get_data(as_text=True)  # "already stopped"

    assert client.post(path[:-3] + "xyz").status_code == 404  # a forged token
    before = len(_outbox(session))
    _mail(app, meeting_id, "reminder_1h")
    assert [r for k, r in _outbox(session)[before:]] == [
        world.coordinator_cl.email,
        world.member_gb.email,
    ]

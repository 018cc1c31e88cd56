"""Meeting reminders: 24 hours and 1 hour before, in each invitee's language and zone, none for
those who declined, and never twice however often cron runs them."""

import re
from datetime import timedelta

from sqlalchemy import select

from portal.core.db import utcnow
from portal.core.extensions import db
from portal.meetings.models import Invitee, Meeting, Reply
from portal.notifications.models import OutboxMessage
from portal.web.commands import run_reminders
from tests import factories


def _run(app, now) -> int:
    with app.app_context():
        return run_reminders(db.session, now)["meetings"]


def _reminders(session) -> list[OutboxMessage]:
    session.expire_all()
    query = select(OutboxMessage).where(OutboxMessage.kind == "meeting_reminder")
    return session.scalars(query.order_by(OutboxMessage.id)).all()


def _meeting_in(session, world, delay: timedelta) -> Meeting:
    people = [world.member_cl, world.member_gb, world.coordinator_gb]
    meeting = factories.make_meeting(session, world.group, utcnow() + delay, invitees=people)
    declined = next(i for i in meeting.invitees if i.user_id == world.member_gb.id)
    declined.reply = Reply.DECLINED
    session.commit()
    return meeting


def test_a_day_before_then_an_hour_before_each_once(app, session, world):
    meeting = _meeting_in(session, world, timedelta(hours=23))
    now = utcnow()
    assert _run(app, now) == 2
    assert _run(app, now + timedelta(minutes=5)) == 0  # cron again: nothing new
    first = _reminders(session)
    assert sorted(m.recipient for m in first) == sorted(
        [world.member_cl.email, world.coordinator_gb.email]
    )  # member_gb declined
    spanish = next(m for m in first if m.recipient == world.member_cl.email)
    # "Hoy a las" or "Mañana a las", by the reader's clock (test_words.py fixes the day).
    assert re.fullmatch(
        r"\[TLP:AMBER\] (Hoy|Mañana) a las \d\d:\d\d: Reunión del grupo de trabajo", spanish.subject
    )
    assert "(America/Santiago)" in spanish.body_text and "Estimado(a)" in spanish.body_text
    english = next(m for m in first if m.recipient == world.coordinator_gb.email)
    assert re.fullmatch(
        r"\[TLP:AMBER\] (Today|Tomorrow) at \d\d:\d\d: Working group meeting", english.subject
    )
    assert "(Europe/London)" in english.body_text
    assert f"/meetings/{meeting.id}" in english.body_text

    hour_before = meeting.starts_at - timedelta(minutes=50)
    assert _run(app, hour_before) == 2
    assert _run(app, hour_before + timedelta(minutes=10)) == 0
    assert [m.subject for m in _reminders(session)[2:]].count(
        "[TLP:AMBER] In one hour: Working group meeting"
    ) == 1
    assert _run(app, meeting.starts_at + timedelta(minutes=1)) == 0  # started: nothing


def test_a_meeting_soon_gets_only_the_hour_reminder_and_a_moved_one_is_reminded_again(
    app, session, world
):
    meeting = _meeting_in(session, world, timedelta(minutes=30))
    assert _run(app, utcnow()) == 2
    english = next(m for m in _reminders(session) if m.recipient == world.coordinator_gb.email)
    assert english.subject.startswith("[TLP:AMBER] In one hour:")
    meeting = session.get(Meeting, meeting.id)
    meeting.starts_at += timedelta(minutes=20)
    meeting.ends_at += timedelta(minutes=20)
    session.commit()
    assert _run(app, utcnow()) == 2


def test_cancelled_meetings_and_people_who_declined_later_get_nothing(app, session, world):
    meeting = _meeting_in(session, world, timedelta(hours=20))
    for invitee in session.scalars(select(Invitee).where(Invitee.meeting_id == meeting.id)):
        invitee.reply = Reply.DECLINED
    session.commit()
    assert _run(app, utcnow()) == 0


def test_the_cli_says_what_it_queued(app, session, world):
    _meeting_in(session, world, timedelta(hours=2))
    output = app.test_cli_runner().invoke(args=["reminders", "run"]).output
    assert "meetings: 2 reminders queued" in output

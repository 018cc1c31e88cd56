"""Meeting reminders: 24 hours and 1 hour before, to every invitee who has not declined."""

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal import access
from portal.meetings.models import Invitee, Meeting, MeetingStatus, Reply
from portal.notifications.readable import about
from portal.notifications.services import queue_email
from portal.reminder_log import record_reminder, sent_keys
from portal.urls import external_url

# Smallest window first: a meeting 50 minutes away gets the 1-hour reminder only.
WINDOWS = (
    ("meeting_1h", timedelta(hours=1), _l("[%(tlp)s] In one hour: %(title)s")),
    ("meeting_24h", timedelta(hours=24), _l("[%(tlp)s] Tomorrow: %(title)s")),
)


def _window(meeting: Meeting, now: datetime):
    return next(window for window in WINDOWS if meeting.starts_at - now <= window[1])


def queue_meeting_reminders(session: Session, now: datetime) -> int:
    """Queue the reminders now due; return how many. Safe to run every few minutes."""
    horizon = now + max(window[1] for window in WINDOWS)
    meetings = session.scalars(
        select(Meeting)
        .where(
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at > now,
            Meeting.starts_at <= horizon,
        )
        .options(selectinload(Meeting.invitees).joinedload(Invitee.user))
        .order_by(Meeting.starts_at)
    )
    queued = 0
    for meeting in meetings:
        job, _, subject = _window(meeting, now)
        # The start is part of the key: a meeting moved to another time is reminded again.
        period = meeting.starts_at.isoformat()
        done = {user for _, user, sent in sent_keys(session, job, [meeting.id]) if sent == period}
        for invitee in meeting.invitees:
            person = invitee.user
            if invitee.reply == Reply.DECLINED or person.id in done or not person.is_active:
                continue
            if not access.can_view_meeting(person, meeting):
                continue
            _queue_reminder(session, meeting, person, subject)
            record_reminder(session, job, meeting.id, person.id, period)
            queued += 1
    return queued


def _queue_reminder(session: Session, meeting: Meeting, person, subject) -> None:
    title = meeting.title_es if person.language == "es" and meeting.title_es else meeting.title_en
    queue_email(
        session,
        kind="meeting_reminder",
        template="meetings/reminder",
        subject=_l(subject, tlp=meeting.tlp.label, title=title),
        recipient=person.email,
        recipient_user=person,
        language=person.language,
        meeting=meeting,
        series=meeting.series,
        about=about("meeting", meeting.id),
        zones=meeting.clock_zones,
        link=external_url("meetings.detail", meeting_id=meeting.id),
    )

"""Meeting reminders: 24 hours and 1 hour before, to every invitee who has not declined.

Each says when in the reader's own day: "today at 15:00", "tomorrow at 10:00" (on their
clock, in their language) or "in one hour".
"""

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.core.bilingual import labelled_text
from portal.core.i18n import time_of_day, today_or_tomorrow
from portal.core.reminder_log import record_reminder, sent_keys
from portal.meetings import access
from portal.meetings.models import Invitee, Meeting, MeetingStatus, Reply
from portal.notifications.readable import about
from portal.notifications.services import queue_email
from portal.web.urls import external_url

# Smallest window first: a meeting 50 minutes away gets the 1-hour reminder only.
WINDOWS = (("meeting_1h", timedelta(hours=1)), ("meeting_24h", timedelta(hours=24)))

SUBJECTS = {
    "in_one_hour": _l("[%(tlp)s] In one hour: %(title)s"),
    "today": _l("[%(tlp)s] Today at %(time)s: %(title)s"),
    "tomorrow": _l("[%(tlp)s] Tomorrow at %(time)s: %(title)s"),
}


def _window(meeting: Meeting, now: datetime) -> str:
    return next(job for job, ahead in WINDOWS if meeting.starts_at - now <= ahead)


def moment(starts_at: datetime, now: datetime, zone: str, job: str) -> str:
    """ "in_one_hour", or whether the start falls "today" or "tomorrow" on the reader's clock."""
    return "in_one_hour" if job == "meeting_1h" else today_or_tomorrow(starts_at, now, zone)


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
        job = _window(meeting, now)
        # The start is part of the key: a meeting moved to another time is reminded again.
        period = meeting.starts_at.isoformat()
        done = {user for _, user, sent in sent_keys(session, job, [meeting.id]) if sent == period}
        for invitee in meeting.invitees:
            person = invitee.user
            if invitee.reply == Reply.DECLINED or person.id in done or not person.is_active:
                continue
            if not access.can_view_meeting(person, meeting):
                continue
            when = moment(meeting.starts_at, now, person.timezone, job)
            _queue_reminder(session, meeting, person, when)
            record_reminder(session, job, meeting.id, person.id, period)
            queued += 1
    return queued


def _queue_reminder(session: Session, meeting: Meeting, person, when: str) -> None:
    title = labelled_text(meeting, "title", person.language)
    time = time_of_day(meeting.starts_at, person.timezone, person.language)
    queue_email(
        session,
        kind="meeting_reminder",
        template="meetings/reminder",
        subject=_l(SUBJECTS[when], tlp=meeting.tlp.label, title=title, time=time),
        moment=when,
        time=time,
        recipient=person.email,
        recipient_user=person,
        language=person.language,
        meeting=meeting,
        series=meeting.series,
        about=about("meeting", meeting.id),
        zones=meeting.clock_zones,
        link=external_url("meetings.detail", meeting_id=meeting.id),
    )

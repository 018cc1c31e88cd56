"""Meeting mails through the outbox: one per invitee, in their language and zone, with iCalendar.

Each mail carries the calendar object (iMIP) so Outlook, Google and Apple update the
event in place: a stable UID, a SEQUENCE that rises, METHOD REQUEST or CANCEL.
"""

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal import access
from portal.accounts.models import User
from portal.meetings import ics
from portal.meetings.models import Invitee, Meeting, MeetingSeries, Minutes, Reply
from portal.meetings.reply_links import reply_token
from portal.notifications.services import queue_email
from portal.urls import external_url

# The iCalendar METHOD each kind of mail carries.
METHODS = {"invitation": "REQUEST", "change": "REQUEST", "cancellation": "CANCEL"}

SUBJECTS = {
    "invitation": _l("[%(tlp)s] Invitation: %(title)s"),
    "change": _l("[%(tlp)s] Changed: %(title)s"),
    "cancellation": _l("[%(tlp)s] Cancelled: %(title)s"),
}


def _organiser(meeting: Meeting) -> dict:
    name = meeting.organiser.name if meeting.organiser else str(_l("Cooperation Portal"))
    return {"organiser_email": current_app.config["MAIL_DEFAULT_SENDER"], "organiser_name": name}


def _title(meeting: Meeting, language: str) -> str:
    return meeting.title_es if language == "es" and meeting.title_es else meeting.title_en


def _reply_links(invitee: Invitee | None) -> dict[str, str]:
    if invitee is None:
        return {}
    token = reply_token(invitee)
    return {
        answer.value: external_url("meetings.reply_by_link", token=token, answer=answer.value)
        for answer in (Reply.ACCEPTED, Reply.TENTATIVE, Reply.DECLINED)
    }


def _send(
    session: Session,
    kind: str,
    meeting: Meeting,
    person: User,
    ics_text: str,
    *,
    invitee: Invitee | None = None,
    changes: list[str] = (),
    series: MeetingSeries | None = None,
) -> None:
    method = METHODS[kind]
    subject = _l(SUBJECTS[kind], tlp=meeting.tlp.label, title=_title(meeting, person.language))
    queue_email(
        session,
        kind=f"meeting_{kind}",
        template=f"meetings/{kind}",
        subject=subject,
        recipient=person.email,
        recipient_user=person,
        language=person.language,
        ics=(method, ics_text),
        meeting=meeting,
        series=series,
        changes=list(changes),
        zones=meeting.clock_zones,
        link=external_url("meetings.detail", meeting_id=meeting.id),
        reply_links=_reply_links(invitee) if method == "REQUEST" else {},
    )


def _one_off(meeting: Meeting, method: str, person: User) -> str:
    return ics.meeting_calendar(
        meeting, method=method, attendee=person, language=person.language, **_organiser(meeting)
    )


def _series(series: MeetingSeries, method: str, person: User, cancelled: Meeting | None = None):
    return ics.series_calendar(
        series,
        method=method,
        attendee=person,
        language=person.language,
        cancelled_occurrence=cancelled,
        **_organiser(series.meetings[0]),
    )


def _first_invitee(series: MeetingSeries, person: User) -> tuple[Meeting, Invitee | None]:
    """The first scheduled occurrence and the person's invitation to it."""
    upcoming = [m for m in series.meetings if not m.is_cancelled] or series.meetings
    meeting = upcoming[0]
    return meeting, next((i for i in meeting.invitees if i.user_id == person.id), None)


# One-off meetings ---------------------------------------------------------------------


def meeting_scheduled(session: Session, meeting: Meeting, invitees: list[Invitee]) -> None:
    for invitee in invitees:
        person = invitee.user
        _send(
            session,
            "invitation",
            meeting,
            person,
            _one_off(meeting, "REQUEST", person),
            invitee=invitee,
        )


def meeting_changed(session: Session, meeting: Meeting, changes: list[str]) -> None:
    for invitee in meeting.invitees:
        person = invitee.user
        _send(
            session,
            "change",
            meeting,
            person,
            _one_off(meeting, "REQUEST", person),
            invitee=invitee,
            changes=changes,
        )


def meeting_cancelled(session: Session, meeting: Meeting) -> None:
    for invitee in meeting.invitees:
        person = invitee.user
        _send(session, "cancellation", meeting, person, _one_off(meeting, "CANCEL", person))


# Series -----------------------------------------------------------------------------------


def series_scheduled(session: Session, series: MeetingSeries, people: list[User]) -> None:
    for person in people:
        meeting, invitee = _first_invitee(series, person)
        _send(
            session,
            "invitation",
            meeting,
            person,
            _series(series, "REQUEST", person),
            invitee=invitee,
            series=series,
        )


def series_changed(
    session: Session, series: MeetingSeries, changes: list[str], changed: Meeting | None = None
) -> None:
    """Every change resends the whole series with all its exceptions (ICALENDAR.md point 6)."""
    people = _series_people(series)
    for person in people:
        meeting, invitee = _first_invitee(series, person)
        shown = changed or meeting
        _send(
            session,
            "change",
            shown,
            person,
            _series(series, "REQUEST", person),
            invitee=invitee,
            changes=changes,
            series=series,
        )


def occurrence_cancelled(session: Session, series: MeetingSeries, meeting: Meeting) -> None:
    for invitee in meeting.invitees:
        person = invitee.user
        _send(
            session,
            "cancellation",
            meeting,
            person,
            _series(series, "CANCEL", person, cancelled=meeting),
            series=series,
        )


def series_cancelled(session: Session, series: MeetingSeries) -> None:
    for person in _series_people(series):
        meeting, _ = _first_invitee(series, person)
        _send(
            session,
            "cancellation",
            meeting,
            person,
            _series(series, "CANCEL", person),
            series=series,
        )


def _series_people(series: MeetingSeries) -> list[User]:
    people = {}
    for meeting in series.meetings:
        for invitee in meeting.invitees:
            people.setdefault(invitee.user_id, invitee.user)
    return list(people.values())


# Invitees added or removed later ------------------------------------------------------------


def invitee_added(session: Session, meeting: Meeting, invitee: Invitee) -> None:
    person = invitee.user
    if meeting.series is None:
        text = _one_off(meeting, "REQUEST", person)
    else:
        text = _series(meeting.series, "REQUEST", person)
    _send(
        session,
        "invitation",
        meeting,
        person,
        text,
        invitee=invitee,
        series=meeting.series,
    )


def invitee_removed(session: Session, meeting: Meeting, invitee: Invitee) -> None:
    person = invitee.user
    if meeting.series is None:
        text = _one_off(meeting, "CANCEL", person)
    else:
        text = _series(meeting.series, "CANCEL", person, cancelled=meeting)
    _send(session, "cancellation", meeting, person, text, series=meeting.series)


# Minutes -------------------------------------------------------------------------------------

MINUTES_SUBJECTS = {
    "minutes_circulated": _l("[%(tlp)s] Minutes for approval: %(title)s"),
    "minutes_approved": _l("[%(tlp)s] Minutes approved: %(title)s"),
}


def _send_minutes_mail(
    session: Session, kind: str, meeting: Meeting, person: User, **context: object
) -> None:
    """One mail in the person's language; a link to the minutes, never their text."""
    title = _title(meeting, person.language)
    queue_email(
        session,
        kind=kind,
        template=f"meetings/{kind}",
        subject=_l(MINUTES_SUBJECTS[kind], tlp=meeting.tlp.label, title=title),
        recipient=person.email,
        recipient_user=person,
        language=person.language,
        meeting=meeting,
        title=title,
        link=external_url("meetings.minutes", meeting_id=meeting.id),
        **context,
    )


def minutes_circulated(session: Session, meeting: Meeting, *, approvals_withdrawn: bool) -> None:
    """Ask each co-chair to approve; a link to the minutes, never their text."""
    for membership in meeting.working_group.memberships:
        person = membership.user
        if membership.is_co_chair and person.is_active and access.can_view_meeting(person, meeting):
            _send_minutes_mail(
                session,
                "minutes_circulated",
                meeting,
                person,
                approvals_withdrawn=approvals_withdrawn,
            )


def minutes_approved(session: Session, meeting: Meeting, minutes: Minutes) -> None:
    approvals = [a for a in minutes.approvals if a.withdrawn_at is None]
    for invitee in meeting.invitees:
        person = invitee.user
        if person.is_active and access.can_view_meeting(person, meeting):
            _send_minutes_mail(session, "minutes_approved", meeting, person, approvals=approvals)

"""Meeting mails through the outbox: one per invitee, in their language and zone, with iCalendar.

Each mail carries the calendar object (iMIP) so Outlook, Google and Apple update the
event in place: a stable UID, a SEQUENCE that rises, METHOD REQUEST or CANCEL.
"""

from collections.abc import Callable

from flask import current_app
from flask_babel import lazy_gettext as _l
from markupsafe import escape
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.core.bilingual import labelled_text
from portal.core.mail_values import Derived
from portal.meetings import ics
from portal.meetings.models import Invitee, Meeting, MeetingSeries, Reply
from portal.meetings.recipients import invited_people, series_people
from portal.meetings.reply_links import invitation_ids, reply_token, reply_token_of
from portal.notifications.readable import about
from portal.notifications.services import Addressee, queue_email, queue_emails
from portal.web.urls import external_url

ANSWERS = (Reply.ACCEPTED, Reply.TENTATIVE, Reply.DECLINED)
# The iCalendar METHOD each kind of mail carries.
METHODS = {"invitation": "REQUEST", "change": "REQUEST", "cancellation": "CANCEL"}

SUBJECTS = {
    "invitation": _l("[%(tlp)s] Invitation: %(title)s"),
    "change": _l("[%(tlp)s] Changed: %(title)s"),
    "cancellation": _l("[%(tlp)s] Cancelled: %(title)s"),
}
# What the outbox page calls each kind of meeting mail (reminders and minutes included).
MAIL_KINDS = {
    "meeting_invitation": _l("Meeting invitation"),
    "meeting_change": _l("Meeting changed"),
    "meeting_cancellation": _l("Meeting cancelled"),
    "meeting_reminder": _l("Meeting reminder"),
    "minutes_circulated": _l("Minutes for approval"),
    "minutes_approved": _l("Minutes approved"),
}
# Values the outbox makes when it fills a mail for many (portal.core.mail_values).
MAIL_VALUES = {"meeting_reply": reply_token_of}


def _organiser(meeting: Meeting) -> dict:
    name = meeting.organiser.name if meeting.organiser else str(_l("Cooperation Portal"))
    return {"organiser_email": current_app.config["MAIL_DEFAULT_SENDER"], "organiser_name": name}


def title_in(meeting: Meeting, language: str) -> str:
    """The meeting's title in `language` (a recipient's), else the other marked "(EN)"/"(ES)"."""
    return labelled_text(meeting, "title", language)


def _reply_links(invitee: Invitee | None) -> dict[str, str]:
    if invitee is None:
        return {}
    token = reply_token(invitee)
    return {
        answer.value: external_url("meetings.reply_by_link", token=token, answer=answer.value)
        for answer in ANSWERS
    }


class _ReplyLinksForMany:
    """_reply_links() for hundreds of invitees: each one's mail keeps their invitation's ids
    and the outbox signs the token when it fills the mail (MAIL_VALUES); the links around
    the token's slot are written once per group of readers."""

    SLOT = "reply-token-slot"  # tokens are URL-safe: the URL around them is the same for all

    def __init__(self) -> None:
        self.urls = {
            answer.value: external_url(
                "meetings.reply_by_link", token=self.SLOT, answer=answer.value
            ).split(self.SLOT)
            for answer in ANSWERS
        }

    @staticmethod
    def personal(invitee: Invitee | None) -> dict[str, Derived]:
        if invitee is None:
            return {}
        return {"reply_token": Derived("meeting_reply", invitation_ids(invitee))}

    def slotted(self, variables: dict) -> dict:
        """The template's `reply_links` around the group's token slot (none without one)."""
        token = variables.get("reply_token")
        if not token:
            return {"reply_links": {}}
        return {
            "reply_links": {
                answer: escape(before) + token + escape(after)
                for answer, (before, after) in self.urls.items()
            }
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
    named_as: str = "meeting",
) -> None:
    method = METHODS[kind]
    subject = _l(SUBJECTS[kind], tlp=meeting.tlp.label, title=title_in(meeting, person.language))
    queue_email(
        session,
        kind=f"meeting_{kind}",
        template=f"meetings/{kind}",
        subject=subject,
        recipient=person.email,
        recipient_user=person,
        language=person.language,
        ics=(method, ics_text),
        about=about(named_as, meeting.id),
        meeting=meeting,
        series=series,
        changes=list(changes),
        zones=meeting.clock_zones,
        link=external_url("meetings.detail", meeting_id=meeting.id),
        reply_links=_reply_links(invitee) if method == "REQUEST" else {},
    )


def _send_to_many(
    session: Session,
    kind: str,
    meeting: Meeting,
    people: list[tuple[User, Invitee | None]],
    calendar: Callable[[str], ics.CalendarForMany],
    *,
    changes: list[str] = (),
    series: MeetingSeries | None = None,
    split_count: int = 0,
) -> None:
    """_send() to each (person, their invitation): the same mails, written once per language
    and zone (see queue_emails), with one calendar per language (`calendar(language)`).
    `split_count`: how many meetings, from `meeting` on, a change of a split series concerns."""
    replies = _ReplyLinksForMany() if METHODS[kind] == "REQUEST" else None
    addressees = [
        Addressee(person, replies.personal(invitee) if replies else {})
        for person, invitee in people
    ]
    queue_emails(
        session,
        kind=f"meeting_{kind}",
        template=f"meetings/{kind}",
        subject=lambda language: _l(
            SUBJECTS[kind], tlp=meeting.tlp.label, title=title_in(meeting, language)
        ),
        addressees=addressees,
        about=about("meeting", meeting.id),
        ics_method=METHODS[kind],
        calendar=calendar,
        slotted=replies.slotted if replies else lambda variables: {"reply_links": {}},
        meeting=meeting,
        series=series,
        changes=list(changes),
        split_count=split_count,
        zones=meeting.clock_zones,
        link=external_url("meetings.detail", meeting_id=meeting.id),
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


def _one_off_for_many(meeting: Meeting, method: str) -> Callable[[str], ics.CalendarForMany]:
    organiser = _organiser(meeting)
    return lambda language: ics.calendar_for_many(
        ics.meeting_calendar, meeting, method=method, language=language, **organiser
    )


def _series_for_many(
    series: MeetingSeries, method: str, cancelled: Meeting | None = None
) -> Callable[[str], ics.CalendarForMany]:
    organiser = _organiser(series.meetings[0])
    return lambda language: ics.calendar_for_many(
        ics.series_calendar,
        series,
        method=method,
        language=language,
        cancelled_occurrence=cancelled,
        **organiser,
    )


def _first_occurrence(series: MeetingSeries) -> Meeting:
    """The first scheduled occurrence (the first one when all are cancelled)."""
    upcoming = [m for m in series.meetings if not m.is_cancelled] or series.meetings
    return upcoming[0]


def _with_invitations(meeting: Meeting, people: list[User]) -> list[tuple[User, Invitee | None]]:
    """Each person with their invitation to `meeting` (None if not invited to that one)."""
    invitations = {invitee.user_id: invitee for invitee in meeting.invitees}
    return [(person, invitations.get(person.id)) for person in people]


# One-off meetings ---------------------------------------------------------------------


def meeting_scheduled(session: Session, meeting: Meeting, invitees: list) -> None:
    """`invitees`: the meeting's Invitee objects, each with its person."""
    people = [(invitee.user, invitee) for invitee in invitees]
    _send_to_many(session, "invitation", meeting, people, _one_off_for_many(meeting, "REQUEST"))


def meeting_changed(session: Session, meeting: Meeting, changes: list[str]) -> None:
    _send_to_many(
        session,
        "change",
        meeting,
        invited_people(session, meeting),
        _one_off_for_many(meeting, "REQUEST"),
        changes=changes,
    )


def meeting_cancelled(session: Session, meeting: Meeting) -> None:
    people = [(person, None) for person, _ in invited_people(session, meeting)]
    _send_to_many(session, "cancellation", meeting, people, _one_off_for_many(meeting, "CANCEL"))


# Series -----------------------------------------------------------------------------------


def series_scheduled(
    session: Session, series: MeetingSeries, people: list, invited: list | None = None
) -> None:
    """`invited`: the first meeting's Invitee objects with their people, when the caller has
    them (else read)."""
    meeting = _first_occurrence(series)
    if invited is not None and invited and invited[0].meeting_id == meeting.id:
        invitations = [(invitation.user, invitation) for invitation in invited]
    else:
        invitations = _with_invitations(meeting, people)
    _send_to_many(
        session,
        "invitation",
        meeting,
        invitations,
        _series_for_many(series, "REQUEST"),
        series=series,
    )


def series_changed(
    session: Session, series: MeetingSeries, changes: list[str], changed: Meeting | None = None
) -> None:
    """Every change resends the whole series with all its exceptions (ICALENDAR.md point 6)."""
    meeting = _first_occurrence(series)
    _send_to_many(
        session,
        "change",
        changed or meeting,
        _with_invitations(meeting, series_people(session, series)),
        _series_for_many(series, "REQUEST"),
        changes=changes,
        series=series,
    )


def series_split(
    session: Session,
    old: MeetingSeries,
    new: MeetingSeries,
    changed: Meeting,
    changes: list[str],
    people: list[User],
) -> None:
    """The old series now ends before `changed`: its calendar goes with the shortened rule, and
    the mail describes the meetings that changed (from `changed` on), not the old first one."""
    _send_to_many(
        session,
        "change",
        changed,
        _with_invitations(changed, people),
        _series_for_many(old, "REQUEST"),
        changes=changes,
        series=new,
        split_count=sum(1 for m in new.meetings if not m.is_cancelled),
    )


def occurrence_cancelled(session: Session, series: MeetingSeries, meeting: Meeting) -> None:
    people = [(person, None) for person, _ in invited_people(session, meeting)]
    _send_to_many(
        session,
        "cancellation",
        meeting,
        people,
        _series_for_many(series, "CANCEL", cancelled=meeting),
        series=series,
    )


def series_cancelled(session: Session, series: MeetingSeries) -> None:
    people = [(person, None) for person in series_people(session, series)]
    _send_to_many(
        session,
        "cancellation",
        _first_occurrence(series),
        people,
        _series_for_many(series, "CANCEL"),
        series=series,
    )


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
    _send(
        session,
        "cancellation",
        meeting,
        person,
        text,
        series=meeting.series,
        named_as="meeting_former_invitee",
    )

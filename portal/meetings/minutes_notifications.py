"""Minutes mails: the co-chairs asked to approve, the invitees told of the approval. Each a
link to the minutes, never their text (TLP), in the person's language."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.meetings import access
from portal.meetings.models import Meeting, Minutes
from portal.meetings.notifications import title_in
from portal.notifications.readable import about
from portal.notifications.services import queue_email
from portal.web.urls import external_url

MINUTES_SUBJECTS = {
    "minutes_circulated": _l("[%(tlp)s] Minutes for approval: %(title)s"),
    "minutes_approved": _l("[%(tlp)s] Minutes approved: %(title)s"),
}


def _send_minutes_mail(
    session: Session, kind: str, meeting: Meeting, person: User, **context: object
) -> None:
    """One mail in the person's language; a link to the minutes, never their text."""
    title = title_in(meeting, person.language)
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
        about=about("meeting", meeting.id),
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

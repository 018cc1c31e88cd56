"""Reopening approved minutes: a co-chair of either party, with a reason kept in the history."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.audit.services import record
from portal.core.errors import Conflict, Forbidden, ValidationError
from portal.meetings import access
from portal.meetings.minutes import locked_minutes, normalise_body, withdraw_approvals
from portal.meetings.models import Meeting, Minutes, MinutesReopening, MinutesState

MAX_REASON_LENGTH = 2_000


def require_minutes_reopener(actor: User, meeting: Meeting) -> None:
    if not access.can_reopen_minutes(actor, meeting):
        raise Forbidden(str(_l("Only the co-chairs of the working group reopen approved minutes.")))


def check_reason(text: str) -> str:
    """The reason for reopening, trimmed; the rules shared by the form and the service."""
    reason = normalise_body(text).strip()
    if not reason:
        raise ValidationError(
            str(_l("Say why the minutes are reopened: the reason is kept in their history.")),
            field="reason",
        )
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(
            str(_l("Use at most %(max)d characters.", max=MAX_REASON_LENGTH)), field="reason"
        )
    if "\x00" in reason:
        raise ValidationError(
            str(_l("The text contains a null character; remove it and try again.")),
            field="reason",
        )
    return reason


def reopen_minutes(session: Session, actor: User, meeting: Meeting, reason: str) -> Minutes:
    """Approved minutes back to draft, by a co-chair of either party, with a reason.

    The approvals are withdrawn; the minutes can be edited again and must be circulated
    and approved by the co-chair of every party once more. The reopening and its reason
    stay in the minutes' history.
    """
    require_minutes_reopener(actor, meeting)
    reason = check_reason(reason)
    minutes = locked_minutes(session, meeting)
    if minutes is None or minutes.state != MinutesState.APPROVED:
        raise Conflict(str(_l("Only approved minutes can be reopened.")))
    withdraw_approvals(minutes)
    minutes.state = MinutesState.DRAFT
    session.add(
        MinutesReopening(
            minutes=minutes,
            revision_number=minutes.revision_number,
            user_id=actor.id,
            party_id=actor.party_id,
            reason=reason,
        )
    )
    session.flush()
    record(
        session,
        "minutes.reopened",
        actor=actor,
        object_type="meeting",
        object_id=meeting.id,
        revision=minutes.revision_number,
        party_id=actor.party_id,
    )
    return minutes

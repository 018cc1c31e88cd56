"""Minutes of a meeting: revisions, circulation, and approval by the co-chair of each party.

Drafted by the coordinators of the MoU's parties and the group's co-chairs; read by
whoever may see the meeting. Every change is a numbered revision; a save based on an
older revision is refused, never merged silently. The minutes are approved once the
co-chair of every party of the MoU has approved their current revision.
"""

from flask_babel import lazy_gettext as _l
from flask_babel import pgettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import Party, User
from portal.audit.services import record
from portal.core.db import utcnow
from portal.core.errors import Conflict, Forbidden, ValidationError
from portal.core.markdown import render_markdown
from portal.meetings import access, pending
from portal.meetings import minutes_notifications as notify
from portal.meetings.minutes_history import (  # noqa: F401  (the views read these here)
    TEXT_COLUMNS,
    language_revision,
    minutes_reopenings,
    minutes_revisions,
    missing_language,
    previous_of_same_language,
    revision_diff,
    text_diff,
)
from portal.meetings.models import (
    Meeting,
    Minutes,
    MinutesApproval,
    MinutesRevision,
    MinutesState,
)

MAX_BODY_LENGTH = 100_000


class StaleMinutes(Conflict):
    """A save based on an older revision: both texts go back to the writer to merge."""

    def __init__(self, theirs: str, current: str, current_revision: int) -> None:
        super().__init__(str(_l("Someone else changed the minutes while you were editing them.")))
        self.theirs = theirs
        self.current = current
        self.current_revision = current_revision


def state_label(state: MinutesState | None) -> str:
    if state is None:
        return pgettext("minutes", "Not written yet")
    return {
        MinutesState.DRAFT: pgettext("minutes", "Draft"),
        MinutesState.CIRCULATED: pgettext("minutes", "Circulated for approval"),
        MinutesState.APPROVED: pgettext("minutes", "Approved"),
    }[state]


# Permissions -----------------------------------------------------------------------------


def require_minutes_editor(actor: User, meeting: Meeting) -> None:
    if not access.can_edit_minutes(actor, meeting):
        raise Forbidden(
            str(_l("Only the coordinators and the co-chairs of the working group edit minutes."))
        )


def require_minutes_approver(actor: User, meeting: Meeting) -> None:
    """A co-chair, approving for their own party, which must be a party of the MoU."""
    parties = {p.id for p in meeting.working_group.mou.parties}
    if not access.can_approve_minutes(actor, meeting) or actor.party_id not in parties:
        raise Forbidden(
            str(
                _l(
                    "Only the co-chairs of the working group approve minutes, "
                    "each for their own delegation."
                )
            )
        )


# Changing ----------------------------------------------------------------------------------


def normalise_body(text: str) -> str:
    """Browsers send CR LF; revisions store LF so that diffs compare lines, not line ends."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def check_body(text: str) -> None:
    """The rules for a minutes text, shared by the form and the service."""
    if not text.strip():
        raise ValidationError(str(_l("Write the minutes before saving them.")), field="body")
    if len(text) > MAX_BODY_LENGTH:
        raise ValidationError(
            str(_l("Use at most %(max)d characters.", max=MAX_BODY_LENGTH)), field="body"
        )
    if "\x00" in text:
        raise ValidationError(
            str(_l("The text contains a null character; remove it and try again.")), field="body"
        )


def save_minutes(
    session: Session,
    actor: User,
    meeting: Meeting,
    body_md: str,
    base_revision: int,
    language: str = "en",
) -> Minutes:
    """Save the text in `language` as a new revision, refusing a save based on an older
    revision of that text (StaleMinutes).

    The minutes hold one text per language, each with its revisions; the revisions of
    both are numbered in one sequence, and approvals are of a number: of the pair of texts
    as they were then. A change to either text is a change to the minutes.

    Approved minutes are read-only until a co-chair reopens them (reopen_minutes). A
    save of circulated minutes that changes the text withdraws every approval given so
    far: what was approved is no longer what the minutes say; each co-chair now has to
    approve the new revision, and is told by mail. Draft minutes stay draft. A save
    that changes nothing (a form sent twice) adds no revision and withdraws nothing.
    """
    require_minutes_editor(actor, meeting)
    if language not in TEXT_COLUMNS:
        raise ValidationError(str(_l("Choose English or Spanish.")), field="language")
    text_column, html_column = TEXT_COLUMNS[language]
    body_md = normalise_body(body_md)
    check_body(body_md)
    minutes = locked_minutes(session, meeting)
    if minutes is not None and minutes.state == MinutesState.APPROVED:
        raise Conflict(
            str(
                _l(
                    "The minutes are approved and can no longer be changed. "
                    "A co-chair may reopen them, giving a reason; then they can be edited "
                    "and approved again."
                )
            )
        )
    if minutes is not None and body_md == getattr(minutes, text_column):
        return minutes
    current = language_revision(minutes, language)
    if base_revision != current:
        raise StaleMinutes(
            theirs=body_md,
            current=getattr(minutes, text_column) if minutes is not None else "",
            current_revision=current,
        )
    if minutes is None:
        minutes = Minutes(meeting=meeting, state=MinutesState.DRAFT, revision_number=0)
        session.add(minutes)
    minutes.revision_number += 1
    setattr(minutes, text_column, body_md)
    setattr(minutes, html_column, render_markdown(body_md))
    session.add(
        MinutesRevision(
            minutes=minutes,
            number=minutes.revision_number,
            language=language,
            body_md=body_md,
            author_id=actor.id,
        )
    )
    withdrawn = withdraw_approvals(minutes)
    session.flush()
    record(
        session,
        "minutes.saved",
        actor=actor,
        object_type="meeting",
        object_id=meeting.id,
        revision=minutes.revision_number,
        language=language,
        approvals_withdrawn=[a.party_id for a in withdrawn],
    )
    if withdrawn:
        notify.minutes_circulated(session, meeting, approvals_withdrawn=True)
    return minutes


def circulate_minutes(session: Session, actor: User, meeting: Meeting) -> Minutes:
    """Draft to circulated: the co-chairs are asked by mail to approve."""
    require_minutes_editor(actor, meeting)
    minutes = locked_minutes(session, meeting)
    if minutes is None:
        raise Conflict(str(_l("Write the minutes before circulating them.")))
    if minutes.state != MinutesState.DRAFT:
        raise Conflict(str(_l("The minutes have already been circulated.")))
    minutes.state = MinutesState.CIRCULATED
    record(
        session,
        "minutes.circulated",
        actor=actor,
        object_type="meeting",
        object_id=meeting.id,
        revision=minutes.revision_number,
    )
    notify.minutes_circulated(session, meeting, approvals_withdrawn=False)
    return minutes


def approve_minutes(session: Session, actor: User, meeting: Meeting) -> Minutes:
    """Approve the current revision for the actor's own party; approving twice changes nothing.

    When every party of the MoU has approved the current revision, the minutes are
    approved and the meeting's invitees are told by mail.
    """
    require_minutes_approver(actor, meeting)
    minutes = locked_minutes(session, meeting)
    if minutes is None or minutes.state == MinutesState.DRAFT:
        raise Conflict(str(_l("The minutes have to be circulated before they can be approved.")))
    # Refused rather than asked: an approval is of both texts, and a text not yet written
    # cannot have been agreed (approving one language approves the other).
    missing = missing_language(minutes)
    if missing is not None:
        message = {
            "en": _l(
                "The minutes are approved in English and Spanish together, and the English "
                "text is not written yet. Once it is, both can be approved."
            ),
            "es": _l(
                "The minutes are approved in English and Spanish together, and the Spanish "
                "text is not written yet. Once it is, both can be approved."
            ),
        }[missing]
        raise Conflict(str(message))
    if current_approval(minutes, actor.party_id) is None:
        session.add(
            MinutesApproval(
                minutes=minutes,
                party_id=actor.party_id,
                user_id=actor.id,
                revision_number=minutes.revision_number,
            )
        )
        session.flush()
        record(
            session,
            "minutes.approved_for_party",
            actor=actor,
            object_type="meeting",
            object_id=meeting.id,
            revision=minutes.revision_number,
            party_id=actor.party_id,
        )
    if minutes.state == MinutesState.CIRCULATED and not _parties_yet_to_approve(meeting, minutes):
        minutes.state = MinutesState.APPROVED
        record(
            session,
            "minutes.approved",
            actor=actor,
            object_type="meeting",
            object_id=meeting.id,
            revision=minutes.revision_number,
        )
        notify.minutes_approved(session, meeting, minutes)
    return minutes


def locked_minutes(session: Session, meeting: Meeting) -> Minutes | None:
    """The minutes as committed now, the meeting's row locked until the transaction ends.

    On PostgreSQL two changes to one meeting's minutes then run one after the other,
    and the second sees the first's revision: the stale-revision check cannot be raced.
    (SQLite has no row locks; it runs one writer at a time, and the unique revision
    number per minutes stops a second revision with the same number.)
    """
    # Its mails go to the occurrence's invitees; before the meeting's lock, which the worker
    # copying them would wait for (its INSERT checks the key).
    pending.complete_for(session, meeting)
    session.execute(select(Meeting.id).where(Meeting.id == meeting.id).with_for_update())
    minutes = session.scalar(
        select(Minutes)
        .where(Minutes.meeting_id == meeting.id)
        .execution_options(populate_existing=True)
    )
    if minutes is not None:
        session.expire(minutes, ["revisions", "approvals", "reopenings"])
    session.expire(meeting, ["minutes"])
    return minutes


def withdraw_approvals(minutes: Minutes) -> list[MinutesApproval]:
    now = utcnow()
    withdrawn = [a for a in minutes.approvals if a.withdrawn_at is None]
    for approval in withdrawn:
        approval.withdrawn_at = now
    return withdrawn


def current_approval(minutes: Minutes, party_id: int) -> MinutesApproval | None:
    return next(
        (
            a
            for a in minutes.approvals
            if a.party_id == party_id
            and a.withdrawn_at is None
            and a.revision_number == minutes.revision_number
        ),
        None,
    )


def _parties_yet_to_approve(meeting: Meeting, minutes: Minutes) -> list[Party]:
    return [p for p in meeting.working_group.mou.parties if current_approval(minutes, p.id) is None]

"""Changing commitments: record, edit, move through their statuses, note progress, link work.

Plain functions taking the session and the acting person; each checks the rule in
portal.commitments.access, writes the commitment's history and the audit log. Nothing is
deleted: notes and history only grow; a link taken back is said in the history.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.accounts.models import User
from portal.audit.services import record
from portal.commitments import access
from portal.commitments.models import (
    Commitment,
    CommitmentChange,
    CommitmentStatus,
    ProgressNote,
)
from portal.core.db import utcnow
from portal.core.errors import Denied, Forbidden, NotFound, ValidationError
from portal.mous.models import Mou

EARLIEST = date(2000, 1, 1)
LATEST_TARGET = date(2100, 12, 31)
CLOSED = (CommitmentStatus.ACHIEVED, CommitmentStatus.DROPPED)


@dataclass(frozen=True)
class CommitmentDetails:
    line_id: int
    title_en: str
    title_es: str
    party_ids: list[int]
    target_on: date


@dataclass(frozen=True)
class StatusChange:
    status: CommitmentStatus
    reason: str = ""


@dataclass(frozen=True)
class NoteDetails:
    noted_on: date
    body: str


# Reading ----------------------------------------------------------------------------------


def get_commitment(session: Session, actor: User, commitment_id: int) -> Commitment:
    commitment = session.scalar(
        select(Commitment)
        .where(Commitment.id == commitment_id)
        .options(
            joinedload(Commitment.mou).selectinload(Mou.parties),
            joinedload(Commitment.line),
            selectinload(Commitment.parties),
            selectinload(Commitment.changes).joinedload(CommitmentChange.actor),
            selectinload(Commitment.notes).joinedload(ProgressNote.author),
        )
    )
    if commitment is None:
        raise NotFound()
    if not access.can_view_commitment(actor, commitment):
        raise Denied("commitment", commitment_id)
    return commitment


def require_editor(actor: User, mou: Mou) -> None:
    if not access.can_edit_commitments(actor, mou):
        raise Forbidden(
            str(_l("Only the coordinators of the MoU's parties and the administrators do this."))
        )


# Changing ---------------------------------------------------------------------------------


def _checked(mou: Mou, details: CommitmentDetails) -> CommitmentDetails:
    """Rules the form cannot be trusted with."""
    title_en, title_es = details.title_en.strip(), details.title_es.strip()
    if not title_en and not title_es:
        raise ValidationError(
            str(_l("Give the title in English, in Spanish or in both.")), field="title_en"
        )
    if details.line_id not in {line.id for line in mou.lines}:
        raise ValidationError(str(_l("Choose one of the options in the list.")), "line_id")
    party_ids = sorted(set(details.party_ids))
    if not party_ids:
        raise ValidationError(str(_l("Choose the responsible party or parties.")), "party_ids")
    if not set(party_ids) <= {party.id for party in mou.parties}:
        raise ValidationError(str(_l("Choose one of the options in the list.")), "party_ids")
    if not EARLIEST <= details.target_on <= LATEST_TARGET:
        raise ValidationError(
            str(_l("Choose a target date between 2000 and 2100.")), field="target_on"
        )
    return CommitmentDetails(details.line_id, title_en, title_es, party_ids, details.target_on)


def _history(commitment: Commitment, actor: User, field: str, before: str, after: str) -> None:
    commitment.changes.append(
        CommitmentChange(actor_id=actor.id, field=field, before=before, after=after)
    )


def _parties_shown(commitment: Commitment) -> str:
    return ", ".join(party.code for party in commitment.parties)


def create_commitment(
    session: Session, actor: User, mou: Mou, details: CommitmentDetails
) -> Commitment:
    require_editor(actor, mou)
    details = _checked(mou, details)
    commitment = Commitment(
        mou=mou,
        line_id=details.line_id,
        title_en=details.title_en,
        title_es=details.title_es,
        target_on=details.target_on,
        status=CommitmentStatus.PLANNED,
        parties=[party for party in mou.parties if party.id in details.party_ids],
        created_by_id=actor.id,
    )
    session.add(commitment)
    _history(commitment, actor, "created", "", details.title_en or details.title_es)
    session.flush()
    record(
        session,
        "commitment.created",
        actor=actor,
        object_type="commitment",
        object_id=commitment.id,
        mou=mou.id,
        line=details.line_id,
    )
    return commitment


def update_commitment(
    session: Session, actor: User, commitment: Commitment, details: CommitmentDetails
) -> list[str]:
    """Apply the new details; return the names of the fields that changed."""
    require_editor(actor, commitment.mou)
    details = _checked(commitment.mou, details)
    changed = []
    for field in ("title_en", "title_es", "target_on"):
        before, after = getattr(commitment, field), getattr(details, field)
        if before != after:
            _history(commitment, actor, field, str(before), str(after))
            setattr(commitment, field, after)
            changed.append(field)
    if commitment.line_id != details.line_id:
        _history(commitment, actor, "line_id", str(commitment.line_id), str(details.line_id))
        commitment.line_id = details.line_id
        changed.append("line_id")
    if sorted(party.id for party in commitment.parties) != details.party_ids:
        before = _parties_shown(commitment)
        commitment.parties = [p for p in commitment.mou.parties if p.id in details.party_ids]
        _history(commitment, actor, "party_ids", before, _parties_shown(commitment))
        changed.append("party_ids")
    if changed:
        commitment.updated_at = utcnow()
        record(
            session,
            "commitment.updated",
            actor=actor,
            object_type="commitment",
            object_id=commitment.id,
            fields=changed,
        )
    return changed


def change_status(
    session: Session, actor: User, commitment: Commitment, change: StatusChange
) -> bool:
    """Move the commitment to a status (dropping needs a reason); False when nothing changed."""
    require_editor(actor, commitment.mou)
    reason = change.reason.strip()
    if change.status == CommitmentStatus.DROPPED and not reason:
        raise ValidationError(str(_l("Say why the commitment is dropped.")), field="reason")
    if change.status != CommitmentStatus.DROPPED:
        reason = ""
    if (commitment.status, commitment.drop_reason) == (change.status, reason):
        return False
    if commitment.status != change.status:
        _history(commitment, actor, "status", commitment.status.value, change.status.value)
    if commitment.drop_reason != reason:
        _history(commitment, actor, "drop_reason", commitment.drop_reason, reason)
    before = commitment.status
    commitment.status, commitment.drop_reason = change.status, reason
    commitment.updated_at = utcnow()
    if change.status in CLOSED and before not in CLOSED:
        commitment.closed_at = commitment.updated_at
    elif change.status not in CLOSED:
        commitment.closed_at = None
    record(
        session,
        "commitment.status_changed",
        actor=actor,
        object_type="commitment",
        object_id=commitment.id,
        before=before.value,
        after=change.status.value,
    )
    return True


def add_note(
    session: Session, actor: User, commitment: Commitment, details: NoteDetails, today: date
) -> ProgressNote:
    require_editor(actor, commitment.mou)
    body = details.body.strip()
    if not body:
        raise ValidationError(str(_l("This field is required.")), field="body")
    if not EARLIEST <= details.noted_on <= today:
        raise ValidationError(str(_l("Choose a date between 2000 and today.")), "noted_on")
    note = ProgressNote(noted_on=details.noted_on, body=body, author_id=actor.id)
    commitment.notes.append(note)
    commitment.updated_at = utcnow()
    session.flush()
    record(
        session,
        "commitment.note_added",
        actor=actor,
        object_type="commitment",
        object_id=commitment.id,
        note=note.id,
    )
    return note


# Linked work ------------------------------------------------------------------------------


def link_kind(name: str) -> access.LinkKind:
    """The kind of work named in an address, or 404."""
    kind = access.LINK_KINDS.get(name)
    if kind is None:
        raise NotFound()
    return kind


def linkable(
    session: Session, actor: User, commitment: Commitment, kind: access.LinkKind, target_id: int
):
    """The MoU's piece of work of that kind the actor may open and that is not linked yet."""
    model = kind.target
    already = select(getattr(kind.link, kind.column)).where(
        kind.link.commitment_id == commitment.id
    )
    return session.scalar(
        select(model).where(
            model.id == target_id,
            kind.in_mou(commitment.mou_id),
            kind.visible(actor),
            model.id.not_in(already),
        )
    )


def link_work(
    session: Session, actor: User, commitment: Commitment, kind: access.LinkKind, target_id: int
) -> None:
    require_editor(actor, commitment.mou)
    target = linkable(session, actor, commitment, kind, target_id)
    if target is None:
        raise ValidationError(str(_l("Choose one of the options in the list.")), "target")
    session.add(
        kind.link(commitment_id=commitment.id, linked_by_id=actor.id, **{kind.column: target.id})
    )
    _history(commitment, actor, "linked", "", f"{kind.name}:{target.id}")
    commitment.updated_at = utcnow()
    record(
        session,
        "commitment.linked",
        actor=actor,
        object_type="commitment",
        object_id=commitment.id,
        kind=kind.name,
        target=target.id,
    )


def existing_link(
    session: Session, actor: User, commitment: Commitment, kind: access.LinkKind, target_id: int
):
    """The link to a piece of work the actor may open, or 404 (a hidden one looks missing)."""
    link = session.get(kind.link, (commitment.id, target_id))
    if link is None or not kind.can_view(actor, link.target):
        raise NotFound()
    return link


def unlink_work(
    session: Session, actor: User, commitment: Commitment, kind: access.LinkKind, target_id: int
) -> None:
    require_editor(actor, commitment.mou)
    link = existing_link(session, actor, commitment, kind, target_id)
    session.delete(link)
    _history(commitment, actor, "unlinked", f"{kind.name}:{target_id}", "")
    commitment.updated_at = utcnow()
    record(
        session,
        "commitment.unlinked",
        actor=actor,
        object_type="commitment",
        object_id=commitment.id,
        kind=kind.name,
        target=target_id,
    )

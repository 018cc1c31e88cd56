"""What a mail is about, and whether its reader may still open it (SECURITY 14).

A mail or digest item that names an object carries it as (kind, id). When the mail is sent
and when the digest is written, the object is checked again against the reader's current
rights with the same rules as every page (each feature's access.py): a document tightened to
AMBER+STRICT, a person removed from the group, a party that left the MoU... and the mail
is withdrawn. One query per kind of object (and one for the readers) answers a whole batch.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.accounts.models import User
from portal.actions import access as action_access
from portal.actions.models import ActionItem
from portal.core.tlp import TLP
from portal.documents import access as document_access
from portal.documents.models import Document
from portal.meetings import access as meeting_access
from portal.meetings.models import Invitee, Meeting
from portal.mous import access as mou_access
from portal.mous.models import Membership, Mou, WorkingGroup
from portal.trainings import access as training_access
from portal.trainings.models import Registration, Training, TrainingInvitation


@dataclass(frozen=True)
class About:
    """The object a mail names: a kind of the registry below and its id."""

    kind: str
    id: int


class Naming(Protocol):
    """An outbox message or digest item: the reader and the object it names."""

    subject_kind: str | None
    subject_id: int | None


Item = TypeVar("Item", bound=Naming)


@dataclass(frozen=True)
class Readers:
    """Who reads a batch: the loaded collections hold only their rows (a meeting of 500
    invitees loads the batch's invitations, not all 500)."""

    ids: frozenset[int]
    emails: frozenset[str]


@dataclass(frozen=True)
class Rule:
    model: type
    options: Callable[[Readers], tuple]
    may_open: Callable[[User, object], bool]


def _group_options(path, readers: Readers) -> tuple:
    return (
        path.joinedload(WorkingGroup.mou).selectinload(Mou.parties),
        path.selectinload(WorkingGroup.memberships.and_(Membership.user_id.in_(readers.ids))),
    )


def _meeting_options(readers: Readers) -> tuple:
    return (
        *_group_options(joinedload(Meeting.working_group), readers),
        selectinload(Meeting.invitees.and_(Invitee.user_id.in_(readers.ids))),
    )


def _document_without_red_text(person: User, document: Document) -> bool:
    """A mail written while the document was not RED carries its title: once it is RED, that
    mail may not go to anyone (SECURITY 18), only one written for RED (kind "document_red")."""
    return document.tlp != TLP.RED and document_access.can_view_document(person, document)


def _still_invited_party(person: User, meeting: Meeting) -> bool:
    """A cancellation to someone taken off the invitee list: still of one of the MoU's parties."""
    return mou_access.can_view_mou(person, meeting.working_group.mou)


def _document_options(readers: Readers) -> tuple:
    return (
        joinedload(Document.mou).selectinload(Mou.parties),
        *_group_options(joinedload(Document.working_group), readers),
        selectinload(Document.readers.and_(User.id.in_(readers.ids))),
    )


RULES: dict[str, Rule] = {
    "document": Rule(Document, _document_options, _document_without_red_text),
    "document_red": Rule(Document, _document_options, document_access.can_view_document),
    "meeting": Rule(Meeting, _meeting_options, meeting_access.can_view_meeting),
    "meeting_former_invitee": Rule(Meeting, _meeting_options, _still_invited_party),
    "action": Rule(
        ActionItem,
        lambda readers: (
            *_group_options(joinedload(ActionItem.working_group), readers),
            selectinload(ActionItem.owners.and_(User.id.in_(readers.ids))),
        ),
        action_access.can_view_action,
    ),
    "working_group": Rule(
        WorkingGroup,
        lambda readers: (
            joinedload(WorkingGroup.mou).selectinload(Mou.parties),
            selectinload(WorkingGroup.memberships.and_(Membership.user_id.in_(readers.ids))),
        ),
        mou_access.can_view_working_group,
    ),
    "training": Rule(
        Training,
        lambda readers: (
            joinedload(Training.mou).selectinload(Mou.parties),
            selectinload(Training.invitations.and_(TrainingInvitation.email.in_(readers.emails))),
            selectinload(Training.registrations.and_(Registration.user_id.in_(readers.ids))),
        ),
        training_access.can_view_training,
    ),
}


def about(kind: str, object_id: int) -> About:
    if kind not in RULES:
        raise ValueError(f"no readership rule for {kind!r}")
    return About(kind, object_id)


def _objects(session: Session, kind: str, ids: set[int], readers: Readers) -> dict[int, object]:
    """The objects with their collections cut to the readers. populate_existing: an object
    already in the session gets the cut for these readers, not the one of an earlier batch;
    the caller commits (expiring them) before anything else reads those collections."""
    rule = RULES[kind]
    found = session.scalars(
        select(rule.model)
        .where(rule.model.id.in_(ids))
        .options(*rule.options(readers))
        .execution_options(populate_existing=True)
    )
    return {thing.id: thing for thing in found.unique()}


def no_longer_readable(
    session: Session, items: Iterable[Item], reader_of: Callable[[Item], User | None]
) -> list[Item]:
    """The items whose reader may no longer open what they name (or it is gone).

    Items naming nothing, or read by no account, are never withdrawn here.
    """
    naming = [(item, reader_of(item)) for item in items if item.subject_kind is not None]
    people = [reader for _, reader in naming if reader is not None]
    readers = Readers(frozenset(p.id for p in people), frozenset(p.email for p in people))
    wanted: dict[str, set[int]] = defaultdict(set)
    for item, _ in naming:
        wanted[item.subject_kind].add(item.subject_id)
    objects = {kind: _objects(session, kind, ids, readers) for kind, ids in wanted.items()}
    failing = []
    for item, reader in naming:
        if reader is None:
            continue
        thing = objects[item.subject_kind].get(item.subject_id)
        if (
            thing is None
            or not reader.is_active
            or not RULES[item.subject_kind].may_open(reader, thing)
        ):
            failing.append(item)
    return failing


def accounts_of(session: Session, user_ids: Iterable[int | None]) -> dict[int, User]:
    """The accounts of a batch's readers, in one query."""
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return {}
    return {user.id: user for user in session.scalars(select(User).where(User.id.in_(ids)))}

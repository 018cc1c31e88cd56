"""What a mail is about, and whether its reader may still open it (SECURITY 14).

A mail or digest item that names an object carries it as (kind, id). When the mail is sent
and when the digest is written, the object is checked again against the reader's current
rights with the same rules as every page (portal.access): a document tightened to
AMBER+STRICT, a person removed from the group, a party that left the MoU... and the mail
is withdrawn. One query per kind of object (and one for the readers) answers a whole batch.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal import access
from portal.accounts.models import User
from portal.actions.models import ActionItem
from portal.documents.models import Document
from portal.meetings.models import Meeting
from portal.mous.models import Mou, WorkingGroup
from portal.trainings.models import Training


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
class Rule:
    model: type
    options: tuple
    may_open: Callable[[User, object], bool]


def _group_options(path) -> tuple:
    return (
        path.joinedload(WorkingGroup.mou).selectinload(Mou.parties),
        path.selectinload(WorkingGroup.memberships),
    )


def _still_invited_party(person: User, meeting: Meeting) -> bool:
    """A cancellation to someone taken off the invitee list: still of one of the MoU's parties."""
    return access.can_view_mou(person, meeting.working_group.mou)


_MEETING_OPTIONS = (
    *_group_options(joinedload(Meeting.working_group)),
    selectinload(Meeting.invitees),
)

RULES: dict[str, Rule] = {
    "document": Rule(
        Document,
        (
            joinedload(Document.mou).selectinload(Mou.parties),
            joinedload(Document.working_group).selectinload(WorkingGroup.memberships),
            selectinload(Document.readers),
        ),
        access.can_view_document,
    ),
    "meeting": Rule(Meeting, _MEETING_OPTIONS, access.can_view_meeting),
    "meeting_former_invitee": Rule(Meeting, _MEETING_OPTIONS, _still_invited_party),
    "action": Rule(
        ActionItem,
        (*_group_options(joinedload(ActionItem.working_group)), selectinload(ActionItem.owners)),
        access.can_view_action,
    ),
    "working_group": Rule(
        WorkingGroup,
        (joinedload(WorkingGroup.mou).selectinload(Mou.parties),),
        access.can_view_working_group,
    ),
    "training": Rule(
        Training,
        (
            joinedload(Training.mou).selectinload(Mou.parties),
            selectinload(Training.invitations),
            selectinload(Training.registrations),
        ),
        access.can_view_training,
    ),
}


def about(kind: str, object_id: int) -> About:
    if kind not in RULES:
        raise ValueError(f"no readership rule for {kind!r}")
    return About(kind, object_id)


def _objects(session: Session, kind: str, ids: set[int]) -> dict[int, object]:
    rule = RULES[kind]
    found = session.scalars(select(rule.model).where(rule.model.id.in_(ids)).options(*rule.options))
    return {thing.id: thing for thing in found.unique()}


def no_longer_readable(
    session: Session, items: Iterable[Item], reader_of: Callable[[Item], User | None]
) -> list[Item]:
    """The items whose reader may no longer open what they name (or it is gone).

    Items naming nothing, or read by no account, are never withdrawn here.
    """
    naming = [item for item in items if item.subject_kind is not None]
    wanted: dict[str, set[int]] = defaultdict(set)
    for item in naming:
        wanted[item.subject_kind].add(item.subject_id)
    objects = {kind: _objects(session, kind, ids) for kind, ids in wanted.items()}
    failing = []
    for item in naming:
        reader = reader_of(item)
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


def readers(session: Session, user_ids: Iterable[int | None]) -> dict[int, User]:
    """The accounts of a batch's readers, in one query."""
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return {}
    return {user.id: user for user in session.scalars(select(User).where(User.id.in_(ids)))}

"""Who may see and change commitments, and which linked work a reader is shown.

Commitments are the MoU's: the delegations of its parties read them (members, coordinators
and observers, as they read the MoU's page) and nobody else learns they exist; the
coordinators of the MoU's parties and the administrators record and change them. A link to
a meeting, action item, document or training is shown only to readers who may open what it
points to, through that feature's own rule. The coordinators' overview of a party's MoUs is
for that party's coordinators and the administrators.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, false, select, true

from portal.accounts.models import Party, Role, User
from portal.actions.access import can_view_action, visible_actions_clause
from portal.actions.models import ActionItem
from portal.commitments.models import (
    ActionLink,
    Commitment,
    DocumentLink,
    MeetingLink,
    TrainingLink,
)
from portal.core.access import can_administer, is_delegation_user, same_party
from portal.documents.access import can_view_document, visible_documents_clause
from portal.documents.models import Document
from portal.meetings.access import can_view_meeting, visible_meetings_clause
from portal.meetings.models import Meeting
from portal.mous.access import can_view_mou, party_in_mou
from portal.mous.models import Mou, WorkingGroup
from portal.trainings.access import can_view_training, visible_trainings_clause
from portal.trainings.models import Training


def can_view_commitments(user: User, mou: Mou) -> bool:
    return user.is_authenticated and can_view_mou(user, mou)


def can_view_commitment(user: User, commitment: Commitment) -> bool:
    return can_view_commitments(user, commitment.mou)


def visible_commitments_clause(user: User, commitment=Commitment) -> ColumnElement[bool]:
    """A WHERE clause on Commitment (or an alias) keeping the ones the user may see."""
    if not user.is_authenticated:
        return false()
    if can_administer(user):
        return true()
    if not is_delegation_user(user):
        return false()
    return party_in_mou(commitment.mou_id, user)


def can_edit_commitments(user: User, mou: Mou) -> bool:
    """Record and change the MoU's commitments: its parties' coordinators, administrators."""
    if not can_view_commitments(user, mou):
        return False
    if can_administer(user):
        return True
    return user.role == Role.COORDINATOR and any(
        same_party(user.party_id, party.id) for party in mou.parties
    )


def can_edit_commitment(user: User, commitment: Commitment) -> bool:
    return can_edit_commitments(user, commitment.mou)


# The coordinators' overview -----------------------------------------------------------------


def can_view_overview(user: User, party: Party) -> bool:
    if not user.is_authenticated:
        return False
    if can_administer(user):
        return True
    return user.role == Role.COORDINATOR and same_party(user.party_id, party.id)


def knows_party(user: User, party: Party) -> bool:
    """Whether a refusal may say the page exists (403) rather than answer 404: its own people."""
    return user.is_authenticated and same_party(user.party_id, party.id)


# Linked work --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkKind:
    """One kind of work a commitment may be linked to, with its feature's rules.

    `in_mou(mou_id)` is a WHERE clause on the target model keeping the MoU's ones;
    `visible(user)` that feature's clause, `can_view(user, target)` its predicate."""

    name: str
    label: object
    link: type
    target: type
    column: str  # the link table's column naming the target
    in_mou: Callable[[int], ColumnElement[bool]]
    visible: Callable[[User], ColumnElement[bool]]
    can_view: Callable[[User, object], bool]
    endpoint: str
    argument: str


def _group_in_mou(group_column) -> Callable[[int], ColumnElement[bool]]:
    def clause(mou_id: int) -> ColumnElement[bool]:
        groups = select(WorkingGroup.id).where(WorkingGroup.mou_id == mou_id)
        return group_column.in_(groups)

    return clause


LINK_KINDS = {
    "meeting": LinkKind(
        "meeting",
        _l("Meetings"),
        MeetingLink,
        Meeting,
        "meeting_id",
        _group_in_mou(Meeting.working_group_id),
        visible_meetings_clause,
        can_view_meeting,
        "meetings.detail",
        "meeting_id",
    ),
    "action": LinkKind(
        "action",
        _l("Action items"),
        ActionLink,
        ActionItem,
        "action_item_id",
        _group_in_mou(ActionItem.working_group_id),
        visible_actions_clause,
        can_view_action,
        "actions.detail",
        "item_id",
    ),
    "document": LinkKind(
        "document",
        _l("Documents"),
        DocumentLink,
        Document,
        "document_id",
        lambda mou_id: Document.mou_id == mou_id,
        visible_documents_clause,
        can_view_document,
        "documents.detail",
        "document_id",
    ),
    "training": LinkKind(
        "training",
        _l("Trainings"),
        TrainingLink,
        Training,
        "training_id",
        lambda mou_id: Training.mou_id == mou_id,
        visible_trainings_clause,
        can_view_training,
        "trainings.detail",
        "training_id",
    ),
}

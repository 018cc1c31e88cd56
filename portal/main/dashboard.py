"""What the dashboard shows of each feature: the reader's next meetings, trainings they hold a
seat or a waiting-list place in, and open action items.

Short previews, each linking to the full, paged list; every query keeps the access clause
of its feature, so nothing the reader may not see is counted or listed.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session, joinedload

from portal.accounts.models import User
from portal.actions import access as action_access
from portal.actions.models import ACTIVE_STATUSES, ActionItem, ActionStatus, action_owners
from portal.core.db import utcnow
from portal.meetings import access as meeting_access
from portal.meetings.models import Invitee, Meeting, MeetingStatus, Reply
from portal.trainings import access as training_access
from portal.trainings.models import Registration, RegistrationStatus, Training, TrainingStatus

PREVIEW_SIZE = 5


@dataclass(frozen=True)
class Preview:
    """The first few items of a list and how many there are in all."""

    items: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def _preview(session: Session, query: Select, *, rows: bool = False) -> Preview:
    """The first PREVIEW_SIZE results of `query` (objects, or rows when it selects several
    things) and how many it has in all."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    first = query.limit(PREVIEW_SIZE)
    items = list(session.execute(first)) if rows else list(session.scalars(first))
    return Preview(items=items, total=total or 0)


def next_meetings(session: Session, reader: User) -> Preview:
    """Meetings the reader is invited to and has not declined, soonest first."""
    invited = exists().where(
        Invitee.meeting_id == Meeting.id,
        Invitee.user_id == reader.id,
        Invitee.reply != Reply.DECLINED,
    )
    query = (
        select(Meeting)
        .where(
            Meeting.ends_at >= utcnow(),
            Meeting.status != MeetingStatus.CANCELLED,
            invited,
            meeting_access.visible_meetings_clause(reader),
        )
        .options(joinedload(Meeting.working_group))
        .order_by(Meeting.starts_at)
    )
    return _preview(session, query)


def next_trainings(session: Session, reader: User) -> Preview:
    """Trainings not yet over where the reader has a seat or is waiting, soonest first; each
    with the reader's registration."""
    query = (
        select(Training, Registration.status)
        .join(Registration, Registration.training_id == Training.id)
        .where(
            Registration.user_id == reader.id,
            Registration.status.in_((RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)),
            Training.ends_at >= utcnow(),
            Training.status != TrainingStatus.CANCELLED,
            training_access.visible_trainings_clause(reader),
        )
        .order_by(Training.starts_at)
    )
    return _preview(session, query, rows=True)


@dataclass(frozen=True)
class OpenAction:
    id: int
    title: str
    status: ActionStatus
    due_on: date

    def is_overdue(self, on: date) -> bool:
        return self.due_on < on


def open_actions(session: Session, reader: User) -> Preview:
    """Open and in-progress items the reader owns, earliest due first."""
    owned = exists().where(
        action_owners.c.action_item_id == ActionItem.id, action_owners.c.user_id == reader.id
    )
    query = (
        select(ActionItem.id, ActionItem.title, ActionItem.status, ActionItem.due_on)
        .where(
            ActionItem.status.in_(ACTIVE_STATUSES),
            owned,
            action_access.visible_actions_clause(reader),
        )
        .order_by(ActionItem.due_on, ActionItem.id)
    )
    preview = _preview(session, query, rows=True)
    return Preview(items=[OpenAction(*row) for row in preview.items], total=preview.total)

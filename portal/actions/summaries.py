"""What other pages show of action items: the dashboard's preview of the reader's open items
and its "Needs your attention" counts. Reads only,
each in a constant number of statements, through actions.access."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import Session

from portal.accounts.models import Role, User
from portal.actions import access
from portal.actions.models import (
    ACTIVE_STATUSES,
    ActionItem,
    ActionStatus,
    action_owners,
)
from portal.actions.queries import today
from portal.mous.models import Membership
from portal.web.pagination import Preview, preview


@dataclass(frozen=True)
class OpenAction:
    id: int
    title_en: str
    title_es: str
    status: ActionStatus
    due_on: date

    def is_overdue(self, on: date) -> bool:
        return self.due_on < on


def open_actions(session: Session, reader: User) -> Preview:
    """The dashboard's: open and in-progress items the reader owns, earliest due first."""
    owned = exists().where(
        action_owners.c.action_item_id == ActionItem.id, action_owners.c.user_id == reader.id
    )
    query = (
        select(
            ActionItem.id,
            ActionItem.title_en,
            ActionItem.title_es,
            ActionItem.status,
            ActionItem.due_on,
        )
        .where(ActionItem.status.in_(ACTIVE_STATUSES), owned, access.visible_actions_clause(reader))
        .order_by(ActionItem.due_on, ActionItem.id)
    )
    first = preview(session, query, rows=True)
    return Preview(
        items=[OpenAction(*row) for row in first.items], total=first.total, capped=first.capped
    )


# What waits for the reader (the dashboard's "Needs your attention") ---------------------------

# "Due soon": due today or within the next days (the reminders' horizon is a week too).
DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class OwnDeadlines:
    overdue: int
    due_soon: int


def own_deadlines(session: Session, reader: User) -> OwnDeadlines:
    """The reader's open items past their date, and those due within DUE_SOON_DAYS (one
    statement for both)."""
    on = today()
    owned = exists().where(
        action_owners.c.action_item_id == ActionItem.id, action_owners.c.user_id == reader.id
    )
    late = ActionItem.due_on < on
    row = session.execute(
        select(
            func.coalesce(func.sum(case((late, 1), else_=0)), 0),
            func.coalesce(func.sum(case((late, 0), else_=1)), 0),
        ).where(
            ActionItem.status.in_(ACTIVE_STATUSES),
            ActionItem.due_on <= on + timedelta(days=DUE_SOON_DAYS),
            owned,
            access.visible_actions_clause(reader),
        )
    ).one()
    return OwnDeadlines(overdue=row[0], due_soon=row[1])


@dataclass(frozen=True)
class OverdueInGroups:
    """Overdue items of the groups a person looks after, and the group when there is one."""

    count: int
    group_id: int | None


def overdue_in_looked_after_groups(session: Session, reader: User) -> OverdueInGroups:
    """For a coordinator, the overdue items of their party's MoUs (all they see); for a
    co-chair, those of the groups they co-chair. Nobody else looks after groups."""
    conditions = [
        ActionItem.status.in_(ACTIVE_STATUSES),
        ActionItem.due_on < today(),
        access.visible_actions_clause(reader),
    ]
    if reader.role != Role.COORDINATOR:
        if reader.role not in (Role.MEMBER, Role.OBSERVER):
            return OverdueInGroups(0, None)
        co_chaired = select(Membership.working_group_id).where(
            Membership.user_id == reader.id, Membership.is_co_chair
        )
        conditions.append(ActionItem.working_group_id.in_(co_chaired))
    groups = select(
        func.count(), func.min(ActionItem.working_group_id), func.max(ActionItem.working_group_id)
    ).where(*conditions)
    count, first_group, last_group = session.execute(groups).one()
    return OverdueInGroups(count, first_group if first_group == last_group else None)

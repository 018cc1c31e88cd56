"""What other pages show of action items: the dashboard's preview of the reader's open items
and its "Needs your attention" counts. Reads only,
each in a constant number of statements, through actions.access."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ScalarSelect, Select, case, exists, false, func, select, true
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
from portal.web.pagination import PREVIEW_SIZE, Preview, numbered_preview, previewed


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
    # The keys alone come from the indexes (the owners', the open items'); the rows of
    # the first few are read after.
    keys = select(ActionItem.id.label("item_id"), ActionItem.due_on.label("item_due_on")).where(
        ActionItem.status.in_(ACTIVE_STATUSES),
        owned,
        access.actions_in_party_mous_clause(reader),
    )
    numbered = numbered_preview(keys, (ActionItem.due_on, ActionItem.id))
    statement = (
        select(
            ActionItem.id,
            ActionItem.title_en,
            ActionItem.title_es,
            ActionItem.status,
            ActionItem.due_on,
            numbered.c.cut_total,
        )
        .join(numbered, numbered.c.item_id == ActionItem.id)
        .order_by(numbered.c.cut_position)
        .limit(PREVIEW_SIZE)
    )
    first = previewed(session, statement)
    return Preview(
        items=[OpenAction(*row) for row in first.items], total=first.total, capped=first.capped
    )


# What waits for the reader (the dashboard's "Needs your attention") ---------------------------

# "Due soon": due today or within the next days (the reminders' horizon is a week too).
DUE_SOON_DAYS = 7
# Each line counts up to this many, then says "more than" (their rows grow with the years).
ATTENTION_LIMIT = 99


@dataclass(frozen=True)
class OwnDeadlines:
    overdue: int
    due_soon: int
    overdue_more: bool = False  # more than `overdue` (counted up to ATTENTION_LIMIT)
    due_soon_more: bool = False


def _capped_count(statement: Select, limit: int) -> ScalarSelect:
    """How many rows `statement` gives, reading at most `limit` + 1 of them."""
    return select(func.count()).select_from(statement.limit(limit + 1).subquery()).scalar_subquery()


def own_deadlines(session: Session, reader: User) -> OwnDeadlines:
    """The reader's open items past their date, and those due within DUE_SOON_DAYS, each
    counted up to ATTENTION_LIMIT (one statement for both)."""
    on = today()
    owned = exists().where(
        action_owners.c.action_item_id == ActionItem.id, action_owners.c.user_id == reader.id
    )
    waiting = select(ActionItem.id).where(
        ActionItem.status.in_(ACTIVE_STATUSES), owned, access.actions_in_party_mous_clause(reader)
    )
    late = waiting.where(ActionItem.due_on < on)
    soon = waiting.where(
        ActionItem.due_on >= on, ActionItem.due_on <= on + timedelta(days=DUE_SOON_DAYS)
    )
    limit = ATTENTION_LIMIT
    overdue, due_soon = session.execute(
        select(_capped_count(late, limit), _capped_count(soon, limit))
    ).one()
    return OwnDeadlines(
        overdue=min(overdue, limit),
        due_soon=min(due_soon, limit),
        overdue_more=overdue > limit,
        due_soon_more=due_soon > limit,
    )


@dataclass(frozen=True)
class OverdueInGroups:
    """Overdue items of the groups a person looks after (counted up to ATTENTION_LIMIT), and
    the group when they all belong to one."""

    count: int
    group_id: int | None
    more: bool = False  # more than `count`


def overdue_in_looked_after_groups(session: Session, reader: User) -> OverdueInGroups:
    """For a coordinator, the overdue items of their party's MoUs (all they see); for a
    co-chair, those of the groups they co-chair. Nobody else looks after groups.

    One statement: the groups of at most ATTENTION_LIMIT + 1 of them; past the limit, when
    those are all of one group, whether any other group has one (which stops at the first).
    """
    # Coordinators read every group of their party's MoUs, co-chairs their own groups: the
    # items of those groups in their party's MoUs are all they may see of them.
    conditions = [
        ActionItem.status.in_(ACTIVE_STATUSES),
        ActionItem.due_on < today(),
        access.actions_in_party_mous_clause(reader),
    ]
    if reader.role != Role.COORDINATOR:
        if reader.role not in (Role.MEMBER, Role.OBSERVER):
            return OverdueInGroups(0, None)
        co_chaired = select(Membership.working_group_id).where(
            Membership.user_id == reader.id, Membership.is_co_chair
        )
        conditions.append(ActionItem.working_group_id.in_(co_chaired))
    limit = ATTENTION_LIMIT
    capped = select(ActionItem.working_group_id).where(*conditions).limit(limit + 1).cte("capped")
    count = select(func.count()).select_from(capped).scalar_subquery()
    first_group = select(func.min(capped.c.working_group_id)).scalar_subquery()
    last_group = select(func.max(capped.c.working_group_id)).scalar_subquery()
    elsewhere = exists().where(*conditions, ActionItem.working_group_id != first_group)
    one_group = case(
        (first_group != last_group, false()), (count > limit, ~elsewhere), else_=true()
    )
    count, first, in_one = session.execute(select(count, first_group, one_group)).one()
    return OverdueInGroups(min(count, limit), first if in_one else None, more=count > limit)

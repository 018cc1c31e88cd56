"""What other pages show of action items: the dashboard's preview of the reader's open items
and its "Needs your attention" counts. Reads only,
each in a constant number of statements, through actions.access."""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from sqlalchemy import (
    ColumnElement,
    ScalarSelect,
    Select,
    bindparam,
    case,
    exists,
    false,
    func,
    select,
    true,
)
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
from portal.core.access import ParametricViewer, viewer_parameters
from portal.core.db import written
from portal.mous.models import Membership
from portal.web.pagination import (
    PREVIEW_SIZE,
    Preview,
    numbered_preview,
    preview_limits,
    previewed,
)

# Open and in progress, written into the counting statements: their generic plans may then use
# the partial indexes of active items (models.ACTIVE_ITEM). The preview's stay bound: its
# generic plan was worse than planning it for each reader (prepared on the full-scale copy).
_ACTIVE = ActionItem.status.in_([written(status) for status in ACTIVE_STATUSES])


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
    statement = _open_actions(reader.role, preview_limits())
    first = previewed(session, statement, viewer_parameters(reader))
    return Preview(
        items=[OpenAction(*row) for row in first.items], total=first.total, capped=first.capped
    )


@cache
def _open_actions(role: Role, limits: tuple) -> Select:
    """Built once per role (as the dashboard's other statements): building one costs more
    than running it."""
    reader = ParametricViewer(role)
    # The keys alone come from the indexes (the owners', the open items'); the rows of
    # the first few are read after.
    keys = select(ActionItem.id.label("item_id"), ActionItem.due_on.label("item_due_on")).where(
        ActionItem.status.in_(ACTIVE_STATUSES),
        _owned(reader),
        access.actions_in_party_mous_clause(reader),
    )
    numbered = numbered_preview(keys, (ActionItem.due_on, ActionItem.id))
    return (
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


def _owned(reader) -> ColumnElement[bool]:
    return exists().where(
        action_owners.c.action_item_id == ActionItem.id, action_owners.c.user_id == reader.id
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
    on, limit = today(), ATTENTION_LIMIT
    parameters = {
        **viewer_parameters(reader),
        "today": on,
        "due_soon_until": on + timedelta(days=DUE_SOON_DAYS),
    }
    overdue, due_soon = session.execute(_own_deadlines(reader.role, limit), parameters).one()
    return OwnDeadlines(
        overdue=min(overdue, limit),
        due_soon=min(due_soon, limit),
        overdue_more=overdue > limit,
        due_soon_more=due_soon > limit,
    )


_TODAY = bindparam("today", type_=ActionItem.due_on.type)


@cache
def _own_deadlines(role: Role, limit: int) -> Select:
    reader = ParametricViewer(role)
    waiting = select(ActionItem.id).where(
        _ACTIVE,
        _owned(reader),
        access.actions_in_party_mous_clause(reader),
    )
    late = waiting.where(ActionItem.due_on < _TODAY)
    soon = waiting.where(
        ActionItem.due_on >= _TODAY,
        ActionItem.due_on <= bindparam("due_soon_until", type_=ActionItem.due_on.type),
    )
    return select(_capped_count(late, limit), _capped_count(soon, limit))


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
    if reader.role != Role.COORDINATOR and reader.role not in (Role.MEMBER, Role.OBSERVER):
        return OverdueInGroups(0, None)
    limit = ATTENTION_LIMIT
    parameters = {**viewer_parameters(reader), "today": today()}
    statement = _overdue_in_groups(reader.role, limit)
    count, first, in_one = session.execute(statement, parameters).one()
    return OverdueInGroups(min(count, limit), first if in_one else None, more=count > limit)


@cache
def _overdue_in_groups(role: Role, limit: int) -> Select:
    reader = ParametricViewer(role)
    # Coordinators read every group of their party's MoUs, co-chairs their own groups: the
    # items of those groups in their party's MoUs are all they may see of them.
    conditions = [
        _ACTIVE,
        ActionItem.due_on < _TODAY,
        access.actions_in_party_mous_clause(reader),
    ]
    if role != Role.COORDINATOR:
        co_chaired = select(Membership.working_group_id).where(
            Membership.user_id == reader.id, Membership.is_co_chair
        )
        conditions.append(ActionItem.working_group_id.in_(co_chaired))
    capped = select(ActionItem.working_group_id).where(*conditions).limit(limit + 1).cte("capped")
    count = select(func.count()).select_from(capped).scalar_subquery()
    first_group = select(func.min(capped.c.working_group_id)).scalar_subquery()
    last_group = select(func.max(capped.c.working_group_id)).scalar_subquery()
    elsewhere = exists().where(*conditions, ActionItem.working_group_id != first_group)
    one_group = case(
        (first_group != last_group, false()), (count > limit, ~elsewhere), else_=true()
    )
    return select(count, first_group, one_group)

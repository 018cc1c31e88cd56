"""The action item reminder jobs that `flask reminders run` runs every few minutes.

An owner's day is the date on their own clock: an item due on the 10th is overdue for a
London owner at midnight there, and for a Santiago owner three or four hours later, each
told soon after their own midnight. The co-chairs' weekly summary counts UTC's weeks. Each
reminder is keyed by the due date it is about, so a person hears once that an item is due
soon and once that it is overdue, and again only if someone moves the due date.
"""

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.actions import access
from portal.actions import notifications as notify
from portal.actions.models import ACTIVE_STATUSES, ActionItem
from portal.core.clock import day_in
from portal.core.reminder_log import record_reminder, sent_keys
from portal.mous.models import Membership, Mou, WorkingGroup

DUE_SOON_DAYS = 3
# The weekly summary lists this many items; the rest are counted.
SUMMARY_ITEMS = 50
# Every clock's date lies between UTC's date at now - 12 h and at now + 14 h (UTC-12 to UTC+14).
BEHIND, AHEAD = timedelta(hours=12), timedelta(hours=14)


def _active_items(session: Session, *conditions) -> list[ActionItem]:
    return list(
        session.scalars(
            select(ActionItem)
            .where(ActionItem.status.in_(ACTIVE_STATUSES), *conditions)
            .options(
                selectinload(ActionItem.owners),
                joinedload(ActionItem.working_group)
                .joinedload(WorkingGroup.mou)
                .selectinload(Mou.parties),
                joinedload(ActionItem.working_group).selectinload(WorkingGroup.memberships),
            )
            .order_by(ActionItem.due_on, ActionItem.id)
        )
    )


def _remind_owners(
    session: Session,
    job: str,
    kind: str,
    items: list[ActionItem],
    now: datetime,
    applies: Callable[[ActionItem, date], bool],
) -> int:
    """Tell each owner of the items for whom `applies(item, their today)`, once per due date."""
    sent = sent_keys(session, job, [item.id for item in items])
    queued = 0
    for item in items:
        period = item.due_on.isoformat()
        for owner in item.owners:
            owners_today = day_in(owner.timezone or "UTC", now)
            if (item.id, owner.id, period) in sent or not applies(item, owners_today):
                continue
            if not access.can_view_action(owner, item):
                continue
            record_reminder(session, job, item.id, owner.id, period)
            notify.send_about_item(session, kind, item, owner)
            queued += 1
    return queued


def _is_due_soon(item: ActionItem, today: date) -> bool:
    return today < item.due_on <= today + timedelta(DUE_SOON_DAYS)


def _is_overdue(item: ActionItem, today: date) -> bool:
    return item.due_on < today


def due_soon(session: Session, now: datetime) -> int:
    """Owners of items due within three days of their today (once per due date)."""
    earliest, latest = (now - BEHIND).date(), (now + AHEAD).date()
    items = _active_items(
        session,
        ActionItem.due_on > earliest,
        ActionItem.due_on <= latest + timedelta(DUE_SOON_DAYS),
    )
    return _remind_owners(session, "action_due_soon", "due_soon", items, now, _is_due_soon)


def overdue(session: Session, now: datetime) -> int:
    """Owners of items whose due date has ended on their clock, not done (once per due date)."""
    items = _active_items(session, ActionItem.due_on < (now + AHEAD).date())
    return _remind_owners(session, "action_overdue", "overdue", items, now, _is_overdue)


def weekly_summary(session: Session, today: date) -> int:
    """Each group's co-chairs: the group's overdue items, once per ISO week."""
    by_group: dict[int, list[ActionItem]] = defaultdict(list)
    for item in _active_items(session, ActionItem.due_on < today):
        by_group[item.working_group_id].append(item)
    year, week, _ = today.isocalendar()
    period = f"{year}-W{week:02d}"
    sent = sent_keys(session, "action_weekly_summary", list(by_group))
    queued = 0
    for items in by_group.values():
        group = items[0].working_group
        for membership in _co_chairs(group):
            person = membership.user
            if (group.id, person.id, period) in sent or not access.sees_every_action_of(
                person, group
            ):
                continue
            record_reminder(session, "action_weekly_summary", group.id, person.id, period)
            notify.weekly_summary(session, group, person, items[:SUMMARY_ITEMS], len(items))
            queued += 1
    return queued


def _co_chairs(group: WorkingGroup) -> list[Membership]:
    return [m for m in group.memberships if m.is_co_chair and m.user.is_active]

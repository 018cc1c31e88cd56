"""Reading action items as a given person: one item, the filtered list, a meeting's items.

The list is read as plain rows (no ORM objects) in one statement, whatever the page size:
the page's items with their owners and how many items there are (up to a limit).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, exists, select, true
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.accounts.models import Party, User
from portal.actions import access
from portal.actions.models import (
    ACTIVE_STATUSES,
    ActionComment,
    ActionHistory,
    ActionItem,
    ActionStatus,
    action_owners,
)
from portal.actions.versions import RENDERINGS
from portal.core.bilingual import either, missing_translation_clause
from portal.core.db import packed, unpacked, utcnow
from portal.core.errors import Denied, NotVisible
from portal.core.i18n import reader_today
from portal.meetings import access as meeting_access
from portal.meetings.models import Meeting, MeetingStatus
from portal.mous import access as mou_access
from portal.mous.models import Membership, Mou, WorkingGroup
from portal.web.pagination import Page, capped_count, numbered_cut

EXPORT_BATCH = 1000


def today() -> date:
    """The reader's day: an item due on it is overdue once it has ended on their clock."""
    return reader_today()


def get_action(session: Session, actor: User, item_id: int) -> ActionItem:
    """The item if `actor` may see it; missing and hidden cost the same one query."""
    item = session.scalar(
        select(ActionItem)
        .where(ActionItem.id == item_id, access.visible_actions_clause(actor))
        .options(
            joinedload(ActionItem.working_group)
            .joinedload(WorkingGroup.mou)
            .selectinload(Mou.parties),
            joinedload(ActionItem.working_group)
            .selectinload(WorkingGroup.memberships)
            .joinedload(Membership.user),
            selectinload(ActionItem.owners),
            joinedload(ActionItem.responsible_party),
            joinedload(ActionItem.meeting),
            joinedload(ActionItem.line),
            selectinload(ActionItem.history).joinedload(ActionHistory.actor),
            selectinload(ActionItem.comments).joinedload(ActionComment.author),
        )
    )
    if item is None:
        raise NotVisible("action", item_id, ActionItem)
    if not access.can_view_action(actor, item):
        raise Denied("action", item_id)
    return item


@dataclass(frozen=True)
class ActionFilters:
    group_id: int | None = None
    party_id: int | None = None
    mine: bool = False
    status: ActionStatus | None = None
    overdue: bool = False
    due_before: date | None = None
    meeting_id: int | None = None
    sort: str = "due"
    # Only the items with a missing translation that the reader may add (portal/core/bilingual).
    untranslated: bool = False


@dataclass(frozen=True)
class ActionRow:
    """What a list line, the CSV and the meeting's "Actions agreed" show of an item."""

    id: int
    title_en: str
    title_es: str
    status: ActionStatus
    priority: str
    due_on: date
    group_id: int
    group_name_en: str
    group_name_es: str
    party_code: str
    meeting_id: int | None
    owners: tuple[str, ...]

    def is_overdue(self, on: date) -> bool:
        return self.status in ACTIVE_STATUSES and self.due_on < on

    @property
    def title(self) -> str:
        return either(self.title_en, self.title_es)


# The fields written in English, Spanish or both (portal/core/bilingual.py).
TRANSLATED_FIELDS = ("title", "description_md")

_ROW_COLUMNS = (
    ActionItem.id,
    ActionItem.title_en,
    ActionItem.title_es,
    ActionItem.status,
    ActionItem.priority,
    ActionItem.due_on,
    ActionItem.working_group_id,
    WorkingGroup.name_en,
    WorkingGroup.name_es,
    Party.code,
    ActionItem.meeting_id,
)


def _visibility(session: Session, actor: User, filters: ActionFilters, reads_group=None):
    """The reader's visibility clause; none needed inside a group they read entirely
    (asked of the database in one statement rather than by loading the group, unless the
    caller knows already: `reads_group`)."""
    if filters.group_id and reads_group is not None:
        return true() if reads_group else access.visible_actions_clause(actor)
    if filters.group_id:
        readable = session.scalar(
            select(WorkingGroup.id).where(
                WorkingGroup.id == filters.group_id, mou_access.visible_working_groups_clause(actor)
            )
        )
        if readable is not None:
            return true()
    return access.visible_actions_clause(actor)


def _conditions(session: Session, actor: User, filters: ActionFilters, reads_group=None) -> list:
    """The WHERE clauses of the filtered list: the reader's visibility, then each filter."""
    conditions = [_visibility(session, actor, filters, reads_group)]
    if filters.group_id:
        conditions.append(ActionItem.working_group_id == filters.group_id)
    if filters.party_id:
        conditions.append(ActionItem.responsible_party_id == filters.party_id)
    if filters.mine:
        conditions.append(
            exists().where(
                action_owners.c.action_item_id == ActionItem.id,
                action_owners.c.user_id == actor.id,
            )
        )
    if filters.status:
        conditions.append(ActionItem.status == filters.status)
    if filters.overdue:
        conditions += [ActionItem.status.in_(ACTIVE_STATUSES), ActionItem.due_on < today()]
    if filters.due_before:
        conditions.append(ActionItem.due_on < filters.due_before)
    if filters.meeting_id:
        conditions.append(ActionItem.meeting_id == filters.meeting_id)
    if filters.untranslated:
        conditions += [
            access.translatable_actions_clause(actor),
            missing_translation_clause(ActionItem, *TRANSLATED_FIELDS),
        ]
    return conditions


def _order(sort: str, item=ActionItem) -> tuple:
    if sort == "priority":
        return item.priority_rank, item.due_on, item.id
    return item.due_on, item.priority_rank, item.id


def _owners():
    """The names of the outer item's owners, packed into one column (portal.core.db)."""
    return (
        select(packed(User.name))
        .join(action_owners, action_owners.c.user_id == User.id)
        .where(action_owners.c.action_item_id == ActionItem.id)
        .scalar_subquery()
        .label("owners")
    )


def _row_query(conditions: list, sort: str) -> Select:
    return (
        select(*_ROW_COLUMNS, _owners())
        .join(WorkingGroup, WorkingGroup.id == ActionItem.working_group_id)
        .join(Party, Party.id == ActionItem.responsible_party_id)
        .where(*conditions)
        .order_by(*_order(sort))
    )


def filtered_query(session: Session, actor: User, filters: ActionFilters) -> Select:
    return _row_query(_conditions(session, actor, filters), filters.sort)


def _row(row) -> ActionRow:
    names = sorted(unpacked(row.owners), key=str.casefold)
    return ActionRow(*row[: len(_ROW_COLUMNS)], owners=tuple(names))


def _rows(session: Session, query: Select) -> list[ActionRow]:
    return [_row(row) for row in session.execute(query)]


# The list counts its items up to this many pages from the one shown, then says "more than".
COUNT_PAGES = 20


def _page_query(conditions: list, sort: str, offset: int, per_page: int, cap: int) -> Select:
    """The page's rows with how many items there are up to `cap` + 1, in one statement: the
    items' ids are numbered in the list's order, reading at most `cap` + 1 of them (ten
    years of a ministry's items are 100,000: a count of all grows with the years), and only
    the page's rows are joined to their group, party and owners."""
    numbered = numbered_cut(select(ActionItem.id).where(*conditions), _order(sort), cap)
    shown = (
        select(numbered.c.id, numbered.c.cut_position, numbered.c.cut_total)
        .where(numbered.c.cut_position > offset)
        .order_by(numbered.c.cut_position)
        .limit(per_page)
        .subquery()
    )
    return (
        select(*_ROW_COLUMNS, _owners(), shown.c.cut_total)
        .join(shown, shown.c.id == ActionItem.id)
        .join(WorkingGroup, WorkingGroup.id == ActionItem.working_group_id)
        .join(Party, Party.id == ActionItem.responsible_party_id)
        .order_by(shown.c.cut_position)
    )


def list_actions(
    session: Session,
    actor: User,
    filters: ActionFilters,
    *,
    page: int,
    per_page: int = 25,
    reads_group: bool | None = None,
) -> Page:
    conditions = _conditions(session, actor, filters, reads_group)
    page = max(page, 1)
    offset, cap = (page - 1) * per_page, (page - 1 + COUNT_PAGES) * per_page
    found = session.execute(_page_query(conditions, filters.sort, offset, per_page, cap)).all()
    if found:
        seen = found[0].cut_total
        total, capped = (cap, True) if seen > cap else (seen, False)
    else:  # past the last page (or no item at all): counted for the pager alone
        total, capped = capped_count(session, select(ActionItem.id).where(*conditions), cap)
    rows = [_row(row) for row in found]
    return Page(items=rows, page=page, per_page=per_page, total=total, capped=capped)


def export_rows(session: Session, actor: User, filters: ActionFilters) -> Iterator[ActionRow]:
    """Every item of the filtered list, in batches, for the CSV."""
    query = filtered_query(session, actor, filters)
    offset = 0
    while True:
        batch = _rows(session, query.limit(EXPORT_BATCH).offset(offset))
        yield from batch
        if len(batch) < EXPORT_BATCH:
            return
        offset += EXPORT_BATCH


def agreed_in_meeting(session: Session, actor: User, meeting: Meeting) -> list[ActionRow]:
    """The items that came out of a meeting, as the reader may see them."""
    query = filtered_query(
        session, actor, ActionFilters(group_id=meeting.working_group_id, meeting_id=meeting.id)
    )
    return _rows(session, query.limit(200))


RECENT_MEETINGS = 20


def meetings_of_origin(
    session: Session, reader: User, group: WorkingGroup, chosen_id: int | None = None
) -> list[Meeting]:
    """What the action form offers as the meeting an item came from: the group's meetings
    that have begun and the reader may see, newest first, and the one already chosen."""
    visible = select(Meeting).where(
        Meeting.working_group_id == group.id, meeting_access.visible_meetings_clause(reader)
    )
    recent = visible.where(
        Meeting.starts_at <= utcnow(), Meeting.status != MeetingStatus.CANCELLED
    ).order_by(Meeting.starts_at.desc(), Meeting.id.desc())
    meetings = list(session.scalars(recent.limit(RECENT_MEETINGS)))
    if chosen_id and all(meeting.id != chosen_id for meeting in meetings):
        meetings.extend(session.scalars(visible.where(Meeting.id == chosen_id)))
    return meetings


def group_people(session: Session, group: WorkingGroup) -> list[User]:
    """Who may be named owner of the group's items: active members and coordinators of its MoU's
    parties, by party then name."""
    party_ids = [party.id for party in group.mou.parties]
    people = session.scalars(
        select(User)
        .where(User.party_id.in_(party_ids), User.is_active.is_(True))
        .order_by(User.name)
    )
    return [person for person in people if access.can_own_action(person, group)]


def open_group_actions(
    session: Session, reader: User, group: WorkingGroup, *, limit: int = 5
) -> list[ActionRow]:
    """The working group page's: the group's open and in-progress items the reader may see,
    earliest due first."""
    reads_group = access.sees_every_action_of(reader, group)

    def read() -> tuple[ActionRow, ...]:
        conditions = _conditions(session, reader, ActionFilters(group_id=group.id), reads_group)
        conditions.append(ActionItem.status.in_(ACTIVE_STATUSES))
        return tuple(_rows(session, _row_query(conditions, "due").limit(limit)))

    if not reads_group:
        return list(read())
    # The same for everyone who reads the whole group: kept per version of its items, which
    # was read (with the group) before them (versions.py).
    key = ("group-open-actions", group.id, group.actions_version, limit)
    return list(RENDERINGS.get(session, key, read))

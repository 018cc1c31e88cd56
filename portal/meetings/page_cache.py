"""The stored readers' meeting page: which changes make it stale, and keeping it.

Most people who open a meeting only read it. Their page is the same for all of them but
for its times (shown in each reader's zone) and their own reply, so it is rendered once
per language and stored in `meeting_pages` (portal/meetings/page.py serves it).

Every flush that changes something the page shows raises `Meeting.page_version` in the
same transaction, and a stored page is served only while its version equals the
meeting's. A page rendered from data that changed meanwhile carries the older version,
so it can never be served, whatever the interleaving of readers and writers. Pages of the
meetings a request changed are rendered again once it has committed; anything else
(renamed people, parties, MoUs) is rendered again by its next reader.
"""

from collections.abc import Iterable
from itertools import chain

from sqlalchemy import ColumnElement, event, inspect, or_, select, true, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from portal.accounts.models import Party, User
from portal.meetings.models import (
    AgendaItem,
    Invitee,
    Meeting,
    MeetingPage,
    Minutes,
    MinutesApproval,
    MinutesRevision,
)
from portal.mous.models import Mou, WorkingGroup

# session.info key: ids of the meetings changed in the current transaction.
CHANGED_MEETINGS = "portal.changed_meetings"

# What the page shows of people, parties, groups and MoUs.
SHOWN_FIELDS = {
    User: ("name", "party_id"),
    Party: ("code", "name_en", "name_es", "timezone"),
    WorkingGroup: ("name_en", "name_es"),
    Mou: ("title_en", "title_es", "parties"),
}


class _Changes:
    """What a flush changed, sorted by how it reaches meeting pages."""

    def __init__(self) -> None:
        self.meetings: set[int] = set()
        self.minutes: set[int] = set()
        self.people: set[int] = set()
        self.groups: set[int] = set()
        self.mous: set[int] = set()
        self.every_meeting = False

    def note(self, obj: object) -> None:
        if isinstance(obj, Meeting):
            self.meetings.add(obj.id)
        elif isinstance(obj, AgendaItem | Invitee | Minutes):
            self.meetings.add(obj.meeting_id)
        elif isinstance(obj, MinutesRevision | MinutesApproval):
            self.minutes.add(obj.minutes_id)
        elif isinstance(obj, User):
            self.people.add(obj.id)
        elif isinstance(obj, WorkingGroup):
            self.groups.add(obj.id)
        elif isinstance(obj, Mou):
            self.mous.add(obj.id)
        elif isinstance(obj, Party):
            self.every_meeting = True

    def stale_pages(self) -> list[ColumnElement[bool]]:
        """WHERE clauses on Meeting for the pages these changes make stale."""
        clauses = []
        if self.every_meeting:
            return [true()]
        if self.meetings:
            clauses.append(Meeting.id.in_(self.meetings))
        if self.minutes:
            clauses.append(Meeting.id.in_(_meetings_of_minutes(self.minutes)))
        if self.people:
            clauses.append(Meeting.id.in_(_meetings_showing(self.people)))
        if self.groups:
            clauses.append(Meeting.working_group_id.in_(self.groups))
        if self.mous:
            groups = select(WorkingGroup.id).where(WorkingGroup.mou_id.in_(self.mous))
            clauses.append(Meeting.working_group_id.in_(groups))
        return clauses


def _meetings_of_minutes(minutes_ids: Iterable[int]):
    return select(Minutes.meeting_id).where(Minutes.id.in_(minutes_ids))


def _meetings_showing(people: set[int]):
    """Meetings whose page names one of these people: invitees, minutes authors, approvers."""
    return (
        select(Invitee.meeting_id)
        .where(Invitee.user_id.in_(people))
        .union(
            select(Minutes.meeting_id)
            .join(MinutesRevision, MinutesRevision.minutes_id == Minutes.id)
            .where(MinutesRevision.author_id.in_(people)),
            select(Minutes.meeting_id)
            .join(MinutesApproval, MinutesApproval.minutes_id == Minutes.id)
            .where(MinutesApproval.user_id.in_(people)),
        )
    )


def _shows_change(obj: object, is_new: bool) -> bool:
    """Whether this change of an object may alter a meeting page."""
    fields = SHOWN_FIELDS.get(type(obj))
    if fields is None:
        return True
    if is_new:
        return False  # nothing shows a person, party, group or MoU before it exists
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


@event.listens_for(Session, "after_flush")
def _raise_page_versions(session: Session, _flush_context) -> None:
    changes = _Changes()
    new = set(session.new)
    for obj in chain(session.new, session.dirty, session.deleted):
        if obj in session.dirty and not session.is_modified(obj):
            continue
        if _shows_change(obj, obj in new):
            changes.note(obj)
    clauses = changes.stale_pages()
    if not clauses:
        return
    connection = session.connection()
    meetings = Meeting.__table__
    connection.execute(
        update(meetings).where(or_(*clauses)).values(page_version=meetings.c.page_version + 1)
    )
    changed = session.info.setdefault(CHANGED_MEETINGS, set())
    changed.update(changes.meetings)
    if changes.minutes:
        changed.update(connection.scalars(_meetings_of_minutes(changes.minutes)))


@event.listens_for(Session, "after_rollback")
def _forget_changes(session: Session) -> None:
    session.info.pop(CHANGED_MEETINGS, None)


def take_changed_meetings(session: Session) -> set[int]:
    """The meetings changed by the transaction that just committed (asked once)."""
    return session.info.pop(CHANGED_MEETINGS, set())


def page_version(session: Session, meeting_id: int) -> int | None:
    return session.scalar(select(Meeting.page_version).where(Meeting.id == meeting_id))


def store_page(session: Session, meeting_id: int, language: str, **page: object) -> None:
    """Keep a rendered page (version, layout, title, html), replacing the one stored for that
    language (no ORM flush)."""
    values = {"meeting_id": meeting_id, "language": language, **page}
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(MeetingPage.__table__).values(values)
    statement = statement.on_conflict_do_update(
        index_elements=["meeting_id", "language"],
        set_=page,
    )
    session.connection().execute(statement)

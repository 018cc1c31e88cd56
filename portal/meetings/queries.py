"""Reading meetings as a given person: one meeting, a group's list, a month (the dashboard's
reads are in summaries.py)."""

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    Text,
    bindparam,
    cast,
    exists,
    false,
    func,
    literal,
    literal_column,
    null,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.accounts.models import Role, User
from portal.core import access as core_access
from portal.core.bilingual import missing_translation_clause
from portal.core.db import utcnow
from portal.core.errors import Denied, NotFound
from portal.core.together import Read
from portal.meetings import access
from portal.meetings.models import (
    MAX_DURATION,
    AgendaItem,
    CalendarFeed,
    Invitee,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesApproval,
)
from portal.mous.models import Membership, Mou, WorkingGroup
from portal.web.pagination import Page, counted_page, counted_page_statements, read_counted_page


def not_over(now: datetime) -> ColumnElement[bool]:
    """Meetings not over at `now`. None lasts longer than MAX_DURATION, so each started after
    `now - MAX_DURATION`: said too, so the index on the start reads only those, not every
    meeting of the years before."""
    return (Meeting.ends_at >= now) & (Meeting.starts_at > now - MAX_DURATION)


def get_meeting(
    session: Session, actor: User, meeting_id: int, options: tuple | None = None
) -> Meeting:
    """The meeting as `actor` may see it, with what its page shows (or `options` load)."""
    meeting = load_meeting(session, meeting_id, options)
    if not access.can_view_meeting(actor, meeting):
        raise Denied("meeting", meeting_id)
    return meeting


# What the meeting page shows, loaded in a constant number of queries however many meetings.
PAGE_OPTIONS = (
    joinedload(Meeting.working_group).joinedload(WorkingGroup.mou).selectinload(Mou.parties),
    joinedload(Meeting.working_group)
    .selectinload(WorkingGroup.memberships)
    .joinedload(Membership.user),
    selectinload(Meeting.invitees).joinedload(Invitee.user).joinedload(User.party),
    selectinload(Meeting.agenda),
    joinedload(Meeting.series),
    joinedload(Meeting.minutes).selectinload(Minutes.approvals).joinedload(MinutesApproval.user),
)


# What the management page shows and its rules read: as PAGE_OPTIONS, but neither the
# accounts of the group's members nor the series, nor the invitees (the page reads one page
# of them as rows, manage_queries.invitee_page).
MANAGE_PAGE_OPTIONS = (
    joinedload(Meeting.working_group).joinedload(WorkingGroup.mou).selectinload(Mou.parties),
    joinedload(Meeting.working_group).selectinload(WorkingGroup.memberships),
    selectinload(Meeting.agenda),
    joinedload(Meeting.minutes).selectinload(Minutes.approvals).joinedload(MinutesApproval.user),
)
# What the page's forms act on: the same and every invitee.
MANAGE_OPTIONS = (
    *MANAGE_PAGE_OPTIONS,
    selectinload(Meeting.invitees).joinedload(Invitee.user).joinedload(User.party),
)


def load_meeting(session: Session, meeting_id: int, options: tuple | None = None) -> Meeting:
    """The meeting with what its page shows (or `options` load)."""
    meetings = load_meetings(session, [meeting_id], options)
    if not meetings:
        raise NotFound()
    return meetings[0]


def load_meetings(
    session: Session, meeting_ids: list[int], options: tuple | None = None
) -> list[Meeting]:
    """Meetings with what their pages show (or `options` load), in one go."""
    statement = select(Meeting).where(Meeting.id.in_(meeting_ids))
    statement = statement.options(*(PAGE_OPTIONS if options is None else options))
    return list(session.scalars(statement))


# The fields written in English, Spanish or both (portal/core/bilingual.py).
TRANSLATED_FIELDS = ("title", "description_md")


def untranslated_meetings_clause():
    """SQL: the meeting or one of its agenda items is written in one language only."""
    agenda_missing = exists().where(
        AgendaItem.meeting_id == Meeting.id, missing_translation_clause(AgendaItem, "title")
    )
    return missing_translation_clause(Meeting, *TRANSLATED_FIELDS) | agenda_missing


def group_meetings(
    session: Session,
    actor: User,
    group: WorkingGroup,
    *,
    past: bool,
    page: int,
    untranslated: bool = False,
) -> Page:
    """A group's upcoming meetings (soonest first) or past ones (latest first), paged, as rows
    of what the list shows (`missing`: a translation is missing, for those who may add one);
    only those missing a translation when `untranslated` and the actor may add one. The rows
    and their count in one statement (a group has hundreds of meetings, not thousands)."""
    now = utcnow()
    manages = access.can_manage_meetings(actor, group)
    parameters = {"group_id": group.id, "now": now, "earliest": now - MAX_DURATION}
    visible = access.visible_group_meetings_clause(actor, group)
    if visible is true():  # true() (one object) for a reader of the group: as built
        statements = _group_meetings_statements(manages, manages and untranslated, past)
        return read_counted_page(session, statements, parameters, page=page)
    query = _group_meetings_query(manages, manages and untranslated, past).where(visible)
    return counted_page(session, query, page=page, parameters=parameters)


@cache
def _group_meetings_statements(manages: bool, untranslated: bool, past: bool) -> tuple:
    """What counted_page runs for a reader of the group, built once too."""
    return counted_page_statements(_group_meetings_query(manages, untranslated, past))


@cache
def _group_meetings_query(manages: bool, untranslated: bool, past: bool) -> Select:
    """Built once per kind of list: building costs more than running it."""
    missing = missing_translation_clause(Meeting, *TRANSLATED_FIELDS) if manages else false()
    query = select(
        Meeting.id,
        Meeting.title_en,
        Meeting.title_es,
        Meeting.starts_at,
        Meeting.status,
        Meeting.series_id,
        missing.label("missing"),
    ).where(Meeting.working_group_id == bindparam("group_id"))
    if untranslated:  # those who may add one see which lack a translation
        query = query.where(untranslated_meetings_clause())
    if past:
        return query.where(Meeting.ends_at < bindparam("now")).order_by(Meeting.starts_at.desc())
    # not_over: the start's index read from the longest meeting before now
    upcoming = (Meeting.ends_at >= bindparam("now")) & (Meeting.starts_at > bindparam("earliest"))
    return query.where(upcoming).order_by(Meeting.starts_at)


def month_bounds(year: int, month: int, zone: str) -> tuple[datetime, datetime]:
    """The month as UTC instants: first midnight to the next month's, in the reader's zone."""
    tz = ZoneInfo(zone)
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return (
        datetime.combine(first, time(), tzinfo=tz).astimezone(UTC),
        datetime.combine(following, time(), tzinfo=tz).astimezone(UTC),
    )


@dataclass(frozen=True)
class MonthRows:
    """What tells the reader's month apart (`key`: on PostgreSQL a digest of the month's rows,
    elsewhere the rows themselves), their calendar feed generation (None: they have no feed)
    and the month's rows (see month_rows; None when only the key was read)."""

    key: Hashable
    feed_generation: int | None
    rows: tuple | None = None


FEED_ROW = -1  # the `source` of the row giving the reader's feed generation as its id


def month_key(
    session: Session, actor: User, sources: tuple, year: int, month: int, zone: str
) -> MonthRows:
    """The key of the reader's month and their feed generation, in one statement: on
    PostgreSQL a digest of the rows computed by the database (one row read, not the month's),
    elsewhere the rows themselves (see month_rows)."""
    if session.get_bind().dialect.name != "postgresql":
        return month_rows(session, actor, sources, year, month, zone)
    statement = _month_statements(actor.role, sources)[0]
    parameters = _month_parameters(actor, year, month, zone)
    digest, generation = session.execute(statement, parameters).one()
    return MonthRows(digest, generation)


def month_rows(
    session: Session, actor: User, sources: tuple, year: int, month: int, zone: str
) -> MonthRows:
    """What the reader's month calendar shows, in one statement, as plain rows: the meetings
    they may see that overlap the month in their zone, then each calendar source's entries
    (`source`: 0 for a meeting, else the source's place in `sources` plus one), each row of
    MONTH_COLUMNS, and their feed's generation (the page links to the feed); on PostgreSQL
    each row also carries the digest month_key reads, of the same rows. Built once per role
    and sources; no objects (the page keeps its grid under their key)."""
    postgresql = session.get_bind().dialect.name == "postgresql"
    parameters = _month_parameters(actor, year, month, zone)
    statement = (
        _month_statements(actor.role, sources)[1]
        if postgresql
        else _month_query(actor.role, sources)
    )
    rows, generation, digest = [], None, None
    for row in session.execute(statement, parameters):
        if postgresql:
            *row, digest = row
        if row[0] == FEED_ROW:
            generation = row[1]
        else:
            rows.append(tuple(row))
    rows = tuple(rows)
    return MonthRows(digest if postgresql else rows, generation, rows)


def _month_parameters(actor: User, year: int, month: int, zone: str) -> dict:
    start, end = month_bounds(year, month, zone)
    return {
        "month_start": start,
        "month_end": end,
        # lets the start's index bound the range: no meeting lasts longer
        "earliest_start": start - MAX_DURATION,
        "first_day": (start - timedelta(days=1)).date(),
        "last_day": (end + timedelta(days=1)).date(),
        **core_access.viewer_parameters(actor),
    }


@cache
def _month_statements(role: Role, sources: tuple) -> tuple[Select, Select]:
    """PostgreSQL's: the digest of the month's rows (in a fixed order: the page sorts them)
    with the feed generation, and the rows each with that digest. Reading the digest costs
    the database little and spares reading and converting the month's rows when the page's
    grid is kept under it."""
    month = _month_query(role, sources).cte("month_rows")
    row_text = cast(month.table_valued(), Text)
    entries = month.c.source != FEED_ROW
    text = func.string_agg(row_text, aggregate_order_by(literal_column("'|'"), row_text))
    digest = func.sha256(func.convert_to(text.filter(entries), literal_column("'UTF8'")))
    generation = func.max(month.c.id).filter(month.c.source == FEED_ROW)
    key = select(digest, generation).select_from(month)
    each_digest = select(digest).select_from(month).scalar_subquery().correlate(None)
    return key, select(month, each_digest)


@cache
def _month_query(role: Role, sources: tuple):
    """Built once per role and sources, run with the reader's id, party and month: building
    it costs more than running it."""
    viewer = core_access.ParametricViewer(role)
    meetings = select(
        literal(0).label("source"),
        Meeting.id,
        Meeting.title_en,
        Meeting.title_es,
        Meeting.starts_at,
        Meeting.ends_at,
        cast(null(), Date).label("on"),  # typed: the union's rows take the first part's types
        (Meeting.status == MeetingStatus.CANCELLED).label("cancelled"),
    ).where(
        Meeting.starts_at < bindparam("month_end"),
        Meeting.starts_at > bindparam("earliest_start"),
        Meeting.ends_at > bindparam("month_start"),
        access.visible_meetings_clause(viewer),
    )
    others = (
        select(literal(number).label("source"), *source.month_query(role).subquery().c)
        for number, source in enumerate(sources, start=1)
    )
    feed = select(literal(FEED_ROW), CalendarFeed.generation, *(null() for _ in range(6))).where(
        CalendarFeed.user_id == bindparam("viewer_id")
    )
    return union_all(meetings, *others, feed)


def calendar_weeks(year: int, month: int) -> list[list[date]]:
    """The weeks (Monday first) that show the month, with the neighbouring months' days."""
    first = date(year, month, 1)
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    start = first - timedelta(days=first.weekday())
    end = last + timedelta(days=6 - last.weekday())
    weeks = ((end - start).days + 1) // 7
    return [[start + timedelta(days=7 * week + day) for day in range(7)] for week in range(weeks)]


def visible_feed_meetings(session: Session, user: User, *, since: datetime) -> list[Meeting]:
    """What a personal calendar feed lists: the meetings the person may see, from `since` on."""
    query = (
        select(Meeting)
        .where(Meeting.ends_at >= since, access.visible_meetings_clause(user))
        .options(joinedload(Meeting.working_group))
        .order_by(Meeting.starts_at)
        .limit(1000)
    )
    return list(session.scalars(query))


def upcoming_group_meetings(reader: User, group: WorkingGroup, *, limit: int = 5) -> Read:
    """The working group page's: the group's next meetings the reader may see, soonest first,
    as rows of what it shows (one that is over is no longer among them)."""
    now = utcnow()
    parameters = {"group_id": group.id, "now": now, "earliest": now - MAX_DURATION, "limit": limit}
    query = _upcoming_group_query()
    visible = access.visible_group_meetings_clause(reader, group)
    if visible is not true():  # true() (one object) for a reader of the group: as built
        query = query.where(visible)
    return Read(query, parameters)


@cache
def _upcoming_group_query() -> Select:
    """Built once: building costs more than running (not_over, with the instants bound)."""
    return (
        select(Meeting.id, Meeting.title_en, Meeting.title_es, Meeting.starts_at)
        .where(
            Meeting.working_group_id == bindparam("group_id"),
            Meeting.ends_at >= bindparam("now"),
            Meeting.starts_at > bindparam("earliest"),
            Meeting.status != MeetingStatus.CANCELLED,
        )
        .order_by(Meeting.starts_at)
        .limit(bindparam("limit"))
    )


def approved_by_party_clause(viewer) -> ColumnElement[bool]:
    """Whether the viewer's party approved the current revision of the meeting's minutes (joined
    as Minutes): what the minutes' buttons of the meeting and management pages depend on."""
    return exists(
        select(MinutesApproval.id).where(
            MinutesApproval.minutes_id == Minutes.id,
            MinutesApproval.party_id == viewer.party_id,
            MinutesApproval.withdrawn_at.is_(None),
            MinutesApproval.revision_number == Minutes.revision_number,
        )
    )

"""Find a time: the slots inside every invited party's working hours over a range of days.

Days are those of the zone the organiser chose; each slot is shown on every party's clock
and links to the scheduling form with its start and end filled in. Holidays (named) and the
invitees' existing meetings are marked; a slot that overlaps one of those meetings is marked
busy, not hidden. Another group's meeting is named only to a reader who may see it.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from portal.accounts.models import Party, Role, User
from portal.calendar.forms import LOCAL_FORMAT
from portal.calendar.working_time import common_intervals, day_bounds, slots
from portal.core.access import ParametricViewer, viewer_parameters
from portal.core.i18n import localized
from portal.meetings import access
from portal.meetings.models import MAX_DURATION, Invitee, Meeting, MeetingStatus
from portal.meetings.working_hours import (
    PartyTime,
    city,
    holiday_sentence,
    host_party,
    invited_parties,
    party_times,
)
from portal.mous.models import Membership, WorkingGroup

DEFAULT_DAYS = 14
MAX_DAYS = 31
DURATIONS = (30, 45, 60, 90, 120)
DEFAULT_DURATION = 60
STEP = timedelta(minutes=30)


@dataclass
class Busy:
    """An invitee's meeting in the range: named when the reader may see it."""

    start: datetime
    end: datetime
    title: str | None
    people: int  # how many of the group's members are invited to it


@dataclass
class Slot:
    start: datetime
    end: datetime
    zone: str  # the zone the page shows days in
    places: list[tuple[str, str]]  # each party's zone and what follows its clock
    index: int  # its place on the page, naming its busy mark's slot (find_time_views.py)
    busy: list[Busy] = field(default_factory=list)

    @property
    def clocks(self) -> str:
        """The slot on each party's clock: "09:00–10:00 London (United Kingdom) · ..."."""
        return " · ".join(_clock(zone, self.start, self.end, place) for zone, place in self.places)

    def local(self, moment: datetime, pattern: str) -> str:
        return moment.astimezone(ZoneInfo(self.zone)).strftime(pattern)

    @property
    def label(self) -> str:
        return f"{self.local(self.start, '%H:%M')}–{self.local(self.end, '%H:%M')}"

    @property
    def form_values(self) -> dict[str, str]:
        """What the scheduling form is filled with (its query arguments)."""
        return {
            "start_local": self.local(self.start, LOCAL_FORMAT),
            "end_local": self.local(self.end, LOCAL_FORMAT),
            "timezone": self.zone,
        }

    @property
    def query(self) -> str:
        """form_values as the link's query (put after an address built once for every slot,
        as url_for would write it: url_for for each of a fortnight's slots was a third of
        the page's time)."""
        return urlencode(self.form_values, safe=":/")


@dataclass
class Day:
    day: date
    slots: list[Slot] = field(default_factory=list)
    holidays: list[str] = field(default_factory=list)  # sentences naming each
    meetings: list[Busy] = field(default_factory=list)


@dataclass
class FindTime:
    zone: str
    parties: list[PartyTime]
    days: list[Day]
    unset: list[Party]  # parties whose working hours are not set (not taken into account)


def find_time(
    session: Session,
    reader: User,
    group: WorkingGroup,
    first: date,
    last: date,
    zone: str,
    minutes: int,
) -> FindTime:
    parties = invited_parties(group)
    times = party_times(
        parties, host_party(reader, parties), first - timedelta(days=1), last + timedelta(days=1)
    )
    within = day_bounds(first, last, zone)
    weeks = [entry.week for entry in times if entry.week is not None]
    common = common_intervals(weeks, within) if weeks else []
    busy = _invitees_meetings(session, reader, group, within)
    tz = ZoneInfo(zone)
    days = {}
    day = first
    while day <= last:
        days[day] = Day(day)
        day += timedelta(days=1)
    places = [(entry.party.timezone, _place(entry.party)) for entry in times]
    for index, (start, end) in enumerate(slots(common, timedelta(minutes=minutes), STEP)):
        slot = Slot(start, end, zone, places, index)
        slot.busy = [b for b in busy if b.start < end and start < b.end]
        days[start.astimezone(tz).date()].slots.append(slot)
    for entry in times:
        for holiday, name in entry.holidays.items():
            if holiday in days:
                days[holiday].holidays.append(holiday_sentence(holiday, name, entry))
    for meeting in busy:
        local = meeting.start.astimezone(tz).date()
        if local in days:
            days[local].meetings.append(meeting)
    unset = [entry.party for entry in times if entry.week is None]
    return FindTime(zone, times, list(days.values()), unset)


def _place(party: Party) -> str:
    """What follows a party's clock: its city and name (the same for each of its slots)."""
    return f"{city(party.timezone)} ({localized(party, 'name')})"


def _clock(zone: str, start: datetime, end: datetime, place: str) -> str:
    tz = ZoneInfo(zone)
    return f"{start.astimezone(tz):%H:%M}–{end.astimezone(tz):%H:%M} {place}"


def _invitees_meetings(
    session: Session, reader: User, group: WorkingGroup, within: tuple[datetime, datetime]
) -> list[Busy]:
    """The meetings (not cancelled) of the range to which a member of the group is invited,
    with how many of them and whether the reader may see it (its title)."""
    start, end = within
    parameters = {
        "group_id": group.id,
        "start": start.astimezone(UTC),
        "end": end.astimezone(UTC),
        # None lasts longer: the index on the start reads the range, not the years.
        "earliest": start.astimezone(UTC) - MAX_DURATION,
        **viewer_parameters(reader),
    }
    rows = session.execute(_invitees_meetings_statement(reader.role), parameters)
    return [
        Busy(
            row.starts_at, row.ends_at, localized(row, "title") if row.visible else None, row.people
        )
        for row in rows
    ]


@cache
def _invitees_meetings_statement(role: Role) -> Select:
    """Built once per role: building the rule's clause costs more than running it."""
    viewer = ParametricViewer(role)
    members = select(Membership.user_id).where(Membership.working_group_id == bindparam("group_id"))
    invited = (
        select(Invitee.meeting_id, Invitee.user_id).where(Invitee.user_id.in_(members)).subquery()
    )
    moment = Meeting.starts_at.type
    return (
        select(
            Meeting.id,
            Meeting.starts_at,
            Meeting.ends_at,
            Meeting.title_en,
            Meeting.title_es,
            access.listed_meetings_clause(viewer).label("visible"),
            func.count().label("people"),
        )
        .join(invited, invited.c.meeting_id == Meeting.id)
        .where(
            Meeting.status != MeetingStatus.CANCELLED,
            Meeting.starts_at < bindparam("end", type_=moment),
            Meeting.ends_at > bindparam("start", type_=moment),
            Meeting.starts_at > bindparam("earliest", type_=moment),
        )
        .group_by(Meeting.id)
        .order_by(Meeting.starts_at, Meeting.id)
    )

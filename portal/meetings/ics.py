"""iCalendar for meetings: invitations and cancellations (iMIP), downloads and personal feeds.

What Outlook, Google and Apple need is written down in /work/shared/ICALENDAR.md; the
numbers in comments ("point 7") refer to it. One-off meetings and feed events are written
in UTC, which needs no VTIMEZONE (point 9); a series is written in its organiser's wall-clock
time with a TZID, and every TZID used gets a VTIMEZONE built here from zoneinfo (point 10).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vRecur,
)

from portal.accounts.models import User
from portal.meetings.models import Meeting, MeetingSeries, MeetingStatus
from portal.meetings.recurrence import occurrences
from portal.tlp import TLP

PRODID = "-//Binational Cybersecurity Cooperation Portal//Meetings//EN"
METHODS = ("REQUEST", "CANCEL", "PUBLISH")
FEED_REFRESH = timedelta(hours=1)
RED_NOTE = {"en": "TLP:RED: see the portal", "es": "TLP:RED: consulte el portal"}
VIDEO = {"en": "Video", "es": "Video"}
# Levels whose meetings calendars should hide from people who merely share a calendar.
PRIVATE_FROM = TLP.AMBER_STRICT

# Public builders ------------------------------------------------------------------------------


def meeting_calendar(
    meeting: Meeting,
    *,
    method: str,
    attendee: User | None,
    organiser_email: str,
    organiser_name: str,
    language: str | None = None,
) -> str:
    """A one-off meeting as REQUEST (invitation or change), CANCEL or PUBLISH (download).

    `language` ("en"/"es") chooses the title; by default the attendee's language, else English.
    """
    _check_method(method)
    if meeting.series_id is not None:
        raise ValueError("a series occurrence belongs in series_calendar()")
    writer = _Writer(method, attendee, organiser_email, organiser_name, language)
    event = writer.event(meeting, uid=meeting.uid, sequence=meeting.sequence)
    event.add("dtstart", _utc(meeting.starts_at))
    event.add("dtend", _utc(meeting.ends_at))
    cancelled = method == "CANCEL" or meeting.is_cancelled
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return writer.calendar([event])


def series_calendar(
    series: MeetingSeries,
    *,
    method: str,
    attendee: User | None,
    organiser_email: str,
    organiser_name: str,
    cancelled_occurrence: Meeting | None = None,
    language: str | None = None,
) -> str:
    """A series with all its changed occurrences (point 6), or the cancellation of one or all.

    REQUEST/PUBLISH: the series VEVENT (RRULE, EXDATE of cancelled occurrences) and one VEVENT
    per changed occurrence. CANCEL with `cancelled_occurrence`: only that occurrence; CANCEL
    without it: the whole series.
    """
    _check_method(method)
    writer = _Writer(method, attendee, organiser_email, organiser_name, language)
    if method == "CANCEL" and cancelled_occurrence is not None:
        events = [writer.occurrence(series, cancelled_occurrence, cancelled=True)]
    elif method == "CANCEL":
        events = [writer.series_event(series, cancelled=True)]
    else:
        events = writer.series_with_exceptions(series)
    return writer.calendar(events)


def personal_feed(meetings: list[Meeting], *, calendar_name: str, language: str = "en") -> str:
    """A person's subscribed calendar (point 13): the same bytes until the data change.

    Every occurrence of a series is its own plain event with a UID derived from the series UID
    and the occurrence's original start. A feed carries only the occurrences this person may
    see, and RECURRENCE-ID instances without their series VEVENT are dropped or shown oddly by
    subscribed calendars (Google, Outlook.com); plain events with stable UIDs are shown by all.
    They never clash with the invitations in the mailbox: a subscription is its own calendar.
    Cancelled meetings are left out, so subscribed calendars remove them.
    """
    writer = _Writer(None, None, "", "", language)
    shown = [m for m in meetings if not m.is_cancelled]
    shown.sort(key=lambda m: (m.starts_at, feed_uid(m)))  # the caller's order must not matter
    events = [writer.feed_event(m) for m in shown]
    calendar_name = str(calendar_name)  # a lazy translation becomes text here
    calendar = _new_calendar(method=None)
    calendar.add("name", calendar_name)
    calendar.add("x-wr-calname", calendar_name)
    calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


def feed_uid(meeting: Meeting) -> str:
    """The UID of a meeting in a personal feed: a series occurrence gets its own, stable one."""
    if meeting.original_start_local is None:
        return meeting.uid
    return f"{meeting.uid}-{meeting.original_start_local:%Y%m%dT%H%M%S}"


# Writing events -------------------------------------------------------------------------------


class _Writer:
    """Builds the VEVENTs of one file, remembering the local times used in each zone."""

    def __init__(self, method, attendee, organiser_email, organiser_name, language) -> None:
        self.method: str | None = method
        self.attendee: User | None = attendee
        self.organiser_email = organiser_email
        self.organiser_name = organiser_name
        chosen = language or (attendee.language if attendee else "en")
        self.language = "es" if chosen.lower().startswith("es") else "en"
        self.stamp = datetime.now(UTC).replace(microsecond=0)
        self.zone_use: dict[str, list[datetime]] = defaultdict(list)
        self.produced: dict[tuple[str, datetime, str], list[datetime]] = {}

    # Whole files.

    def calendar(self, events: list[Event]) -> str:
        calendar = _new_calendar(method=self.method)
        for zone, moments in sorted(self.zone_use.items()):
            calendar.add_component(vtimezone(zone, min(moments), max(moments)))
        for event in events:
            calendar.add_component(event)
        return calendar.to_ical().decode("utf-8")

    def series_with_exceptions(self, series: MeetingSeries) -> list[Event]:
        produced = set(self.rule_starts(series))
        changed = [
            m
            for m in series.meetings
            if m.is_exception and not m.is_cancelled and m.original_start_local in produced
        ]
        master = self.series_event(series, cancelled=_all_cancelled(series))
        return [master] + [self.occurrence(series, m) for m in changed]

    # Single events.

    def event(
        self, meeting: Meeting, *, uid: str, sequence: int, stamp: datetime | None = None
    ) -> Event:
        """The properties every VEVENT of a meeting carries, whatever its dates."""
        event = Event()
        event.add("uid", uid)
        event.add("sequence", sequence)
        event.add("dtstamp", stamp or self.stamp)
        event.add("summary", _title(meeting, self.language))
        event.add("description", _description(meeting, self.language))
        if meeting.place:
            event.add("location", meeting.place)
        if meeting.video_url:
            event.add("url", meeting.video_url)
        if meeting.tlp.rank >= PRIVATE_FROM.rank:
            event.add("class", "PRIVATE")
        if self.method is not None:
            event.add("organizer", _address(self.organiser_email, self.organiser_name))
        if self.attendee is not None and self.method in ("REQUEST", "CANCEL"):
            event.add("attendee", _attendee(self.attendee, asks_reply=self.method == "REQUEST"))
        return event

    def series_event(self, series: MeetingSeries, *, cancelled: bool) -> Event:
        """The VEVENT holding the rule; EXDATE for cancelled occurrences the rule still makes."""
        template = _template(series)
        event = self.event(template, uid=series.uid, sequence=series.sequence)
        start = self.local(series.timezone, series.first_start_local)
        # Clients give every occurrence the exact duration DTEND - DTSTART, so DTEND is the
        # first occurrence's real end, even when that one spans a change of the clocks.
        end = start.astimezone(UTC) + timedelta(minutes=series.duration_minutes)
        event.add("dtstart", start)
        event.add("dtend", self.instant(series.timezone, end))
        event.add("rrule", vRecur.from_ical(series.rrule))
        produced = set(self.rule_starts(series))  # also sizes the VTIMEZONE to the last one
        if not cancelled:  # a cancelled series goes whole, with no dates set apart
            for original in _cancelled_starts(series, produced):
                event.add("exdate", self.local(series.timezone, original))
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        return event

    def occurrence(self, series: MeetingSeries, meeting: Meeting, *, cancelled=False) -> Event:
        """A changed or cancelled occurrence: its RECURRENCE-ID is the start the rule gave it."""
        if meeting.original_start_local not in set(self.rule_starts(series)):
            raise ValueError("the occurrence is not one the series' rule produces")
        event = self.event(meeting, uid=series.uid, sequence=series.sequence)
        event.add("recurrence-id", self.local(series.timezone, meeting.original_start_local))
        event.add("dtstart", self.instant(meeting.timezone, meeting.starts_at))
        event.add("dtend", self.instant(meeting.timezone, meeting.ends_at))
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        return event

    def feed_event(self, meeting: Meeting) -> Event:
        """A feed event from stored data only: no clock, so fetches give the same bytes."""
        sequence = meeting.series.sequence if meeting.series is not None else meeting.sequence
        modified = _utc(meeting.updated_at)
        event = self.event(meeting, uid=feed_uid(meeting), sequence=sequence, stamp=modified)
        event.add("last-modified", modified)
        event.add("dtstart", _utc(meeting.starts_at))
        event.add("dtend", _utc(meeting.ends_at))
        event.add("status", "CONFIRMED")
        return event

    # Times.

    def rule_starts(self, series: MeetingSeries) -> list[datetime]:
        """The wall-clock starts the series' rule produces (RECURRENCE-ID and EXDATE values)."""
        key = (series.rrule, series.first_start_local, series.timezone)
        if key not in self.produced:
            self.produced[key] = occurrences(*key)
            self.zone_use[series.timezone].extend(self.produced[key])
        return self.produced[key]

    def local(self, zone: str, naive: datetime) -> datetime:
        """A wall-clock time with its TZID; its zone gets a VTIMEZONE covering it."""
        self.zone_use[zone].append(naive)
        return naive.replace(tzinfo=ZoneInfo(zone))

    def instant(self, zone: str, moment: datetime) -> datetime:
        """An instant as wall-clock time in `zone`, or in UTC when the wall clock is ambiguous.

        A TZID time in the hour that happens twice means its first occurrence (RFC 5545), so
        an instant in the second one can only be written exactly in UTC.
        """
        local = moment.astimezone(ZoneInfo(zone))
        naive = local.replace(tzinfo=None)
        if naive.replace(tzinfo=ZoneInfo(zone), fold=0).astimezone(UTC) != moment:
            return _utc(moment)
        return self.local(zone, naive)


def _new_calendar(*, method: str | None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method is not None:
        calendar.add("method", method)
    return calendar


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise ValueError(f"unknown iTIP method {method!r}")


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


def _title(meeting: Meeting, language: str) -> str:
    return meeting.title_es if language == "es" else meeting.title_en


def _description(meeting: Meeting, language: str) -> str:
    """Plain text (Markdown reads well as such) under the TLP label; never a TLP:RED text."""
    if meeting.tlp == TLP.RED:
        return RED_NOTE[language]
    parts = [meeting.tlp.label]
    if meeting.description_md.strip():
        parts.append(meeting.description_md.strip())
    if meeting.video_url:
        # Outlook does not show URL, so the link also goes where people read.
        parts.append(f"{VIDEO[language]}: {meeting.video_url}")
    return "\n\n".join(parts)


def _address(email: str, name: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = name
    return address


def _attendee(user: User, *, asks_reply: bool) -> vCalAddress:
    address = _address(user.email, user.name)
    address.params["CUTYPE"] = "INDIVIDUAL"
    address.params["ROLE"] = "REQ-PARTICIPANT"
    if asks_reply:
        address.params["PARTSTAT"] = "NEEDS-ACTION"
        address.params["RSVP"] = "TRUE"
    return address


def _template(series: MeetingSeries) -> Meeting:
    """The occurrence whose title, place and text stand for the whole series."""
    unchanged = [m for m in series.meetings if not m.is_exception and not m.is_cancelled]
    if unchanged:
        return unchanged[0]
    return series.meetings[0]


def _all_cancelled(series: MeetingSeries) -> bool:
    return bool(series.meetings) and all(
        m.status == MeetingStatus.CANCELLED for m in series.meetings
    )


def _cancelled_starts(series: MeetingSeries, produced: set[datetime]) -> list[datetime]:
    """Original starts of cancelled occurrences the rule still makes (point 7).

    Occurrences cut off by a rule shortened with UNTIL are not the rule's any more: an EXDATE
    for them would name an instant the RRULE does not produce.
    """
    return sorted(
        m.original_start_local
        for m in series.meetings
        if m.is_cancelled and m.original_start_local in produced
    )


# VTIMEZONE -----------------------------------------------------------------------------------
#
# Outlook reads a VTIMEZONE observance as a yearly rule on one nth (or last) weekday or one
# month day. Where a zone's real transitions do not follow one such rule (Chile: "the first
# Sunday on or after 2 April"), the years are split: a rule with UNTIL for the years that
# follow it, a single DTSTART for a year that does not. Everything comes from zoneinfo.

YEARS_BEFORE = 1  # the transition before the first date fixes the offset it starts in
YEARS_AFTER = 2  # exact at least until the end of the second year after the last date
MORE_YEARS = 7  # how much further to look for a final rule that really repeats
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Transition:
    """A change of a zone's offset, DST flag or abbreviation."""

    at: datetime  # the UTC instant
    offset_from: timedelta
    offset_to: timedelta
    is_dst: bool
    name: str

    @property
    def local(self) -> datetime:
        """The wall-clock time just before the change: what VTIMEZONE's DTSTART names."""
        return (self.at + self.offset_from).replace(tzinfo=None)

    @property
    def observance(self) -> tuple[bool, timedelta, timedelta, str]:
        return (self.is_dst, self.offset_from, self.offset_to, self.name)


Run = tuple[list[Transition], tuple[str, str]]  # transitions one yearly rule describes, and how


def vtimezone(zone: str, start: datetime, end: datetime) -> Timezone:
    """A VTIMEZONE for `zone`, exact from the year before `start` to two years after `end`.

    Only the years of `start` and `end` (naive local or aware) matter. The window is widened
    (up to MORE_YEARS) until each observance ends on a rule that repeats; that last rule has
    no UNTIL, so clients carry the zone's current pattern on beyond the window.
    """
    first_year = start.year - YEARS_BEFORE
    last_year, groups = _observance_runs(zone, first_year, end.year + YEARS_AFTER)
    timezone = Timezone()
    timezone.add("tzid", zone)
    components = []
    earliest = min((runs[0][0][0].at for runs in groups), default=None)
    if earliest is None or earliest > _as_utc(start, zone):
        components.append(_fixed_observance(zone, datetime(first_year, 1, 1)))
    for runs in groups:
        for index, (run, part) in enumerate(runs):
            open_ended = index == len(runs) - 1 and run[-1].local.year == last_year
            components.append(_observance(run, part, open_ended=open_ended))
    for component in sorted(components, key=lambda c: c.DTSTART):
        timezone.add_component(component)
    return timezone


def _observance_runs(zone: str, first_year: int, last_year: int) -> tuple[int, list[list[Run]]]:
    """The runs of each observance, over a window ending on or after `last_year`.

    A window that ends on a year breaking the pattern (Chile's April 2029) would leave that
    year's single DTSTART as the observance's last word; one more year or a few avoid that.
    """
    transitions = zone_transitions(zone, first_year, last_year + MORE_YEARS)
    for year in range(last_year, last_year + MORE_YEARS + 1):
        groups: dict[tuple, list[Transition]] = defaultdict(list)
        for transition in transitions:
            if transition.local.year <= year:
                groups[transition.observance].append(transition)
        runs = [_yearly_runs(group) for group in groups.values()]
        if all(len(r[-1][0]) > 1 or r[-1][0][-1].local.year < year for r in runs):
            return year, runs
    return year, runs


@lru_cache(maxsize=256)
def zone_transitions(zone: str, first_year: int, last_year: int) -> tuple[Transition, ...]:
    """Every transition of `zone` from 1 January `first_year` to 31 December `last_year`.

    Samples the zone every six hours and bisects each change down to the second, so no
    zone's rules are written here.
    """
    tz = ZoneInfo(zone)
    moment = datetime(first_year, 1, 1, tzinfo=UTC)
    stop = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    step = timedelta(hours=6)
    found = []
    while moment < stop:
        following = min(moment + step, stop)
        if _state(tz, moment) != _state(tz, following):
            found.append(_transition(tz, moment, following))
        moment = following
    return tuple(found)


def _state(tz: ZoneInfo, moment: datetime) -> tuple[timedelta, timedelta, str]:
    local = moment.astimezone(tz)
    return local.utcoffset(), local.dst(), local.tzname()


def _transition(tz: ZoneInfo, before: datetime, after: datetime) -> Transition:
    """The transition between two instants of different state, found by bisection."""
    old = _state(tz, before)
    while after - before > timedelta(seconds=1):
        middle = before + (after - before) / 2
        middle = middle.replace(microsecond=0)
        if _state(tz, middle) == old:
            before = middle
        else:
            after = middle
    offset_to, dst, name = _state(tz, after)
    return Transition(after, old[0], offset_to, dst != timedelta(0), name)


def _yearly_runs(group: list[Transition]) -> list[Run]:
    """Split one observance's transitions into runs that one yearly rule describes.

    A run continues while the next transition is a year later, in the same month at the same
    local time, and shares a day description (e.g. "-1SU") with the run so far.
    """
    runs: list[tuple[list[Transition], set]] = []
    for transition in group:
        parts = set(_day_descriptions(transition.local))
        if runs:
            run, shared = runs[-1]
            previous = run[-1].local
            follows = (
                transition.local.year == previous.year + 1
                and transition.local.month == previous.month
                and transition.local.time() == previous.time()
                and shared & parts
            )
            if follows:
                runs[-1] = ([*run, transition], shared & parts)
                continue
        runs.append(([transition], parts))
    return [(run, _preferred(shared, run[0].local)) for run, shared in runs]


def _day_descriptions(local: datetime) -> list[tuple[str, str]]:
    """The ways a yearly rule can name this day of its month."""
    weekday = WEEKDAY_CODES[local.weekday()]
    descriptions = []
    if (local + timedelta(days=7)).month != local.month:
        descriptions.append(("BYDAY", f"-1{weekday}"))
    nth = (local.day - 1) // 7 + 1
    if nth <= 4:
        descriptions.append(("BYDAY", f"{nth}{weekday}"))
    descriptions.append(("BYMONTHDAY", str(local.day)))
    return descriptions


def _preferred(shared: set, local: datetime) -> tuple[str, str]:
    """Prefer "last weekday", then "nth weekday", then the month day (how zones' rules read)."""
    return next(d for d in _day_descriptions(local) if d in shared)


def _observance(run: list[Transition], part: tuple[str, str], *, open_ended: bool):
    first = run[0]
    component = TimezoneDaylight() if first.is_dst else TimezoneStandard()
    component.add("dtstart", first.local)
    component.add("tzoffsetfrom", first.offset_from)
    component.add("tzoffsetto", first.offset_to)
    component.add("tzname", first.name)
    if len(run) > 1:
        rule = {"FREQ": "YEARLY", "BYMONTH": first.local.month, part[0]: part[1]}
        if not open_ended:
            # RFC 5545 3.3.10: in STANDARD and DAYLIGHT, UNTIL is always in UTC.
            rule["UNTIL"] = run[-1].at
        component.add("rrule", vRecur(rule))
    return component


def _fixed_observance(zone: str, local: datetime):
    """The offset in force at `local`, for a zone with no transition before the dates used."""
    aware = local.replace(tzinfo=ZoneInfo(zone))
    offset, dst, name = aware.utcoffset(), aware.dst(), aware.tzname()
    component = TimezoneDaylight() if dst else TimezoneStandard()
    component.add("dtstart", local)
    component.add("tzoffsetfrom", offset)
    component.add("tzoffsetto", offset)
    component.add("tzname", name)
    return component


def _as_utc(moment: datetime, zone: str) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    return moment.astimezone(UTC)

"""VTIMEZONE components that Outlook, Google and Apple all read, built from zoneinfo.

Outlook reads a VTIMEZONE observance as a yearly rule on one nth (or last) weekday or one
month day. Where a zone's real transitions do not follow one such rule (Chile: "the first
Sunday on or after 2 April"), the years are split: a rule with UNTIL for the years that
follow it, a single DTSTART for a year that does not. Everything comes from zoneinfo.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

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

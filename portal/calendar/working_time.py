"""When parties are at work: pure time arithmetic on zones, working days, hours and holidays.

Given each party's zone, its working days (ISO weekdays, 1 = Monday), its working hours
(local wall-clock start and end, in minutes from midnight; 1440 is the end of the day) and
its holidays (local dates), `working_intervals` gives the UTC intervals when that party is
at work over a range of dates, and `common_intervals` those when all of them are. Nothing
here reads the database or imports a feature, so meetings and trainings can both use it.

Working hours are wall-clock times: 09:00 in Santiago is 12:00 UTC in winter and 13:00 UTC
in summer, which is why the overlap between two parties moves with each change of the
clocks (`local_moment` says how a time skipped or repeated by the clocks is read).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAY_MINUTES = 24 * 60
ISO_WEEKDAYS = range(1, 8)

Interval = tuple[datetime, datetime]  # [start, end) in UTC


@dataclass(frozen=True)
class WorkingWeek:
    """One party's working time: zone, ISO weekdays, hours (minutes), holidays by local date."""

    zone: str
    days: frozenset[int]
    start_minute: int
    end_minute: int
    holidays: Mapping[date, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.days or not set(self.days) <= set(ISO_WEEKDAYS):
            raise ValueError(f"working days must be ISO weekdays, not {sorted(self.days)}")
        if not 0 <= self.start_minute < self.end_minute <= DAY_MINUTES:
            raise ValueError(f"working hours {self.start_minute}-{self.end_minute}")

    def works_on(self, day: date) -> bool:
        return day.isoweekday() in self.days and day not in self.holidays


def parse_days(text: str) -> frozenset[int]:
    """ "12345" -> {1, 2, 3, 4, 5}: working days as stored (ISO weekday digits)."""
    return frozenset(int(c) for c in text)


def format_days(days: Iterable[int]) -> str:
    return "".join(str(d) for d in sorted(set(days)))


def minute_of(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def clock(minute: int) -> str:
    """Minutes from midnight as HH:MM (1440 is 24:00)."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def local_moment(day: date, minute: int, zone: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock minute of a local day (24:00 is the next midnight).

    A time that happens twice is the first; one the clocks skip is read with the offset
    before the change (PEP 495), i.e. as many minutes after the change as it is into the gap.
    """
    naive = datetime.combine(day, time()) + timedelta(minutes=minute)
    return naive.replace(tzinfo=zone, fold=0).astimezone(UTC)


def day_bounds(first: date, last: date, zone: str) -> Interval:
    """The UTC interval from the start of `first` to the end of `last` in `zone`."""
    tz = ZoneInfo(zone)
    return local_moment(first, 0, tz), local_moment(last, DAY_MINUTES, tz)


def working_intervals(week: WorkingWeek, first: date, last: date) -> list[Interval]:
    """The UTC intervals when the party works on its local dates `first`..`last`."""
    tz = ZoneInfo(week.zone)
    intervals = []
    day = first
    while day <= last:
        if week.works_on(day):
            start = local_moment(day, week.start_minute, tz)
            end = local_moment(day, week.end_minute, tz)
            if start < end:
                intervals.append((start, end))
        day += timedelta(days=1)
    return intervals


def intersect(a: list[Interval], b: list[Interval]) -> list[Interval]:
    """The intersection of two sorted lists of disjoint intervals."""
    result, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        start = max(a[i][0], b[j][0])
        end = min(a[i][1], b[j][1])
        if start < end:
            result.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return result


def common_intervals(weeks: Iterable[WorkingWeek], within: Interval) -> list[Interval]:
    """The UTC intervals inside `within` when every party is at work.

    Each party's local dates are taken a day either side of `within`, so a working day
    that starts the evening before in UTC is not lost."""
    start, end = within
    common = [within]
    for week in weeks:
        tz = ZoneInfo(week.zone)
        first = start.astimezone(tz).date() - timedelta(days=1)
        last = end.astimezone(tz).date() + timedelta(days=1)
        common = intersect(common, working_intervals(week, first, last))
    return common


def is_within(intervals: list[Interval], start: datetime, end: datetime) -> bool:
    """Whether [start, end) lies inside one of the intervals."""
    return any(a <= start and end <= b for a, b in intervals)


def slots(intervals: list[Interval], length: timedelta, step: timedelta) -> list[Interval]:
    """Slots of `length` inside the intervals, starting on each `step` of the UTC clock
    (every half hour: on :00 and :30, which are round times in every zone of whole or half
    hours), the first at the interval's start when that is not round."""
    found = []
    step_seconds = int(step.total_seconds())
    for start, end in intervals:
        epoch = int(start.timestamp())
        aligned = datetime.fromtimestamp(-(-epoch // step_seconds) * step_seconds, UTC)
        moment = aligned
        while moment + length <= end:
            found.append((moment, moment + length))
            moment += step
    return found

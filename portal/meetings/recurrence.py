"""Recurrence rules over the organiser's wall-clock time (RFC 5545 RRULE, via dateutil),
and the instants of a series' occurrences, checked against daylight-saving changes."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from flask_babel import format_date, format_datetime
from flask_babel import lazy_gettext as _l

from portal.calendar.localtime import AmbiguousLocalTime, NonexistentLocalTime, to_utc
from portal.core.errors import ValidationError
from portal.meetings.models import MeetingSeries

MAX_OCCURRENCES = 200
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class Frequency(StrEnum):
    WEEKLY = "weekly"
    MONTHLY_DAY = "monthly_day"  # the same day of the month: "on the 14th"
    MONTHLY_WEEKDAY = "monthly_weekday"  # "the second Tuesday"
    MONTHLY_LAST_WEEKDAY = "monthly_last_weekday"  # "the last Friday"


@dataclass(frozen=True)
class Recurrence:
    frequency: Frequency
    interval: int = 1
    until_on: date | None = None
    count: int | None = None

    def rrule(self, first_start_local: datetime, zone: str) -> str:
        """The RRULE value for a series starting at `first_start_local` in `zone`."""
        weekday = WEEKDAYS[first_start_local.weekday()]
        parts = {
            Frequency.WEEKLY: ["FREQ=WEEKLY", f"BYDAY={weekday}"],
            Frequency.MONTHLY_DAY: ["FREQ=MONTHLY", f"BYMONTHDAY={first_start_local.day}"],
            Frequency.MONTHLY_WEEKDAY: [
                "FREQ=MONTHLY",
                f"BYDAY={(first_start_local.day - 1) // 7 + 1}{weekday}",
            ],
            Frequency.MONTHLY_LAST_WEEKDAY: ["FREQ=MONTHLY", f"BYDAY=-1{weekday}"],
        }[self.frequency]
        if self.interval > 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.count:
            parts.append(f"COUNT={self.count}")
        elif self.until_on:
            parts.append(f"UNTIL={until_utc(self.until_on, zone):%Y%m%dT%H%M%SZ}")
        return ";".join(parts)


def until_utc(day: date, zone: str) -> datetime:
    """The last instant of `day` in `zone`, in UTC (RFC 5545 wants UNTIL in UTC with a TZID)."""
    end_of_day = datetime.combine(day, time(23, 59, 59), tzinfo=ZoneInfo(zone))
    return end_of_day.astimezone(UTC)


def occurrences(rrule: str, first_start_local: datetime, zone: str) -> list[datetime]:
    """The wall-clock starts the rule produces, naive, in the series' zone, at most MAX_OCCURRENCES.

    dateutil steps an aware DTSTART in wall-clock time, so 10:00 stays 10:00 across
    daylight-saving changes, as RFC 5545 requires.
    """
    start = first_start_local.replace(tzinfo=ZoneInfo(zone))
    rule = rrulestr(rrule, dtstart=start)
    found = []
    for moment in rule:
        found.append(moment.replace(tzinfo=None))
        if len(found) > MAX_OCCURRENCES:
            break
    return found


def truncated_before(rrule: str, original_start_local: datetime, zone: str) -> str:
    """The same rule ending just before the given occurrence ("this and all following")."""
    parts = [p for p in rrule.split(";") if not p.startswith(("UNTIL=", "COUNT="))]
    instant = original_start_local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
    parts.append(f"UNTIL={instant - timedelta(seconds=1):%Y%m%dT%H%M%SZ}")
    return ";".join(parts)


def shifted_until(rrule: str, by: timedelta) -> str:
    """The same rule with its UNTIL moved as far as its first start moved: a series moved to
    another time or day keeps its number of meetings (its end moves with it)."""
    parts = []
    for part in rrule.split(";"):
        if part.startswith("UNTIL="):
            until = datetime.strptime(part.removeprefix("UNTIL="), "%Y%m%dT%H%M%SZ") + by
            part = f"UNTIL={until:%Y%m%dT%H%M%SZ}"
        parts.append(part)
    return ";".join(parts)


def remaining_rule(rrule: str, already_held: int) -> str:
    """The rule for the part of a series that starts after `already_held` occurrences."""
    parts = []
    for part in rrule.split(";"):
        if part.startswith("COUNT="):
            part = f"COUNT={max(1, int(part.removeprefix('COUNT=')) - already_held)}"
        parts.append(part)
    return ";".join(parts)


def rule_for_new_start(rrule: str, start_local: datetime) -> str:
    """Keep the rule's shape but follow a new weekday or day of month for the first start."""
    weekday = WEEKDAYS[start_local.weekday()]
    parts = []
    for part in rrule.split(";"):
        if part.startswith("BYDAY="):
            value = part.removeprefix("BYDAY=")
            prefix = value[:-2]
            if prefix and prefix != "-1":
                prefix = str((start_local.day - 1) // 7 + 1)
            part = f"BYDAY={prefix}{weekday}"
        elif part.startswith("BYMONTHDAY="):
            part = f"BYMONTHDAY={start_local.day}"
        parts.append(part)
    return ";".join(parts)


class AmbiguousOccurrences(ValidationError):
    """Occurrences of a series fall in an hour that happens twice: the organiser confirms."""

    def __init__(self, moments: list[datetime], zone: str) -> None:
        super().__init__(
            str(_l("Some meetings of the series fall in an hour that happens twice.")),
            field="start_local",
        )
        self.moments = moments
        self.zone = zone


def refuse_start_off_rule(starts: list[datetime], first_start_local: datetime) -> None:
    """The first meeting is the date typed: calendars take DTSTART as one even when the rule
    would not produce it (RFC 5545), so a start off the rule would show one meeting more."""
    if not starts:
        raise ValidationError(
            str(_l("The series ends before its first meeting: choose a later end.")),
            field="until_on",
        )
    if starts[0] != first_start_local:
        raise ValidationError(
            str(
                _l(
                    "%(typed)s is not a date of this repetition: its first meeting would be on "
                    "%(first)s. Choose that date as the start, or another repetition.",
                    typed=format_date(first_start_local.date(), "full"),
                    first=format_date(starts[0].date(), "full"),
                )
            ),
            field="start_local",
        )


def series_instants(series: MeetingSeries, confirm_ambiguous: bool):
    """(local origin, (start, end) in UTC) of each occurrence; refuses gaps, asks on overlaps."""
    starts = occurrences(series.rrule, series.first_start_local, series.timezone)
    refuse_start_off_rule(starts, series.first_start_local)
    if len(starts) > MAX_OCCURRENCES:
        raise ValidationError(
            str(
                _l("A series has at most %(n)d meetings: choose an earlier end.", n=MAX_OCCURRENCES)
            ),
            field="until_on",
        )
    duration = timedelta(minutes=series.duration_minutes)
    ambiguous, result = [], []
    for local in starts:
        try:
            instant = to_utc(local, series.timezone)
        except AmbiguousLocalTime:
            ambiguous.append(local)
            # RFC 5545: an ambiguous local time in a recurrence means its first occurrence.
            instant = to_utc(local, series.timezone, fold=0)
        except NonexistentLocalTime as error:
            raise ValidationError(
                str(
                    _l(
                        "The meeting of %(time)s would fall in the hour skipped for daylight "
                        "saving time in %(zone)s. Choose another time, or end the series "
                        "before it.",
                        time=format_datetime(local, "d MMM y HH:mm", rebase=False),
                        zone=series.timezone,
                    )
                ),
                field="start_local",
            ) from error
        result.append((local, (instant, instant + duration)))
    if ambiguous and not confirm_ambiguous:
        raise AmbiguousOccurrences(ambiguous, series.timezone)
    return result

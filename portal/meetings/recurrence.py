"""Recurrence rules over the organiser's wall-clock time (RFC 5545 RRULE, via dateutil)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

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


def remaining_rule(rrule: str, already_held: int) -> str:
    """The rule for the part of a series that starts after `already_held` occurrences."""
    parts = []
    for part in rrule.split(";"):
        if part.startswith("COUNT="):
            part = f"COUNT={max(1, int(part.removeprefix('COUNT=')) - already_held)}"
        parts.append(part)
    return ";".join(parts)

"""When a point of contact answers: 24/7, or office hours on the contact's clock, shown on the
contact's clock and on the reader's, each zone named.

Office hours are local times in the contact's zone; their instants, and so the reader's
hours, change with either zone's daylight saving time. They are worked out day by day for
one week (the week of a given day on the contact's clock), so a week in which a zone changes
its clocks shows the days before and after the change as they are.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import get_day_names


@dataclass(frozen=True)
class Clock:
    """The office hours on one zone's clock: "Monday–Friday 09:00–17:00", the zone and its
    abbreviation that week ("GMT", "BST", "-03")."""

    zone: str
    abbreviation: str
    hours: str


@dataclass(frozen=True)
class OfficeHours:
    week_of: date  # the Monday of the week shown, on the contact's clock
    contact: Clock
    reader: Clock

    @property
    def same_clock(self) -> bool:
        return self.contact.hours == self.reader.hours and (
            self.contact.abbreviation == self.reader.abbreviation
        )


def office_hours(
    days: list[int], start: time, end: time, zone: str, reader_zone: str, today: date, locale: str
) -> OfficeHours:
    """The office hours of the week of `today` (a date on the contact's clock)."""
    contact_tz, reader_tz = ZoneInfo(zone), ZoneInfo(reader_zone)
    monday = today - timedelta(days=today.weekday())
    spans = []
    for day in sorted(days):
        local = monday + timedelta(days=day)
        opens = datetime.combine(local, start, tzinfo=contact_tz)
        closes = datetime.combine(local, end, tzinfo=contact_tz)
        spans.append((opens, closes))
    names = get_day_names("wide", locale=locale)
    return OfficeHours(
        week_of=monday,
        contact=_clock(spans, contact_tz, zone, names),
        reader=_clock(spans, reader_tz, reader_zone, names),
    )


def _clock(spans, tz: ZoneInfo, zone: str, names) -> Clock:
    """Consecutive days with the same hours are said once: "Monday–Friday 06:00–14:00"."""
    runs: list[list] = []  # [first weekday, last weekday, "HH:MM–HH:MM", last day's ordinal]
    abbreviations = []
    for opens, closes in spans:
        local_open, local_close = opens.astimezone(tz), closes.astimezone(tz)
        abbreviations.append(local_open.tzname() or "")
        hours = f"{local_open:%H:%M}–{local_close:%H:%M}"
        if local_close.date() != local_open.date():
            hours += " (+1)"
        weekday, day = local_open.weekday(), local_open.date().toordinal()
        if runs and runs[-1][3] == day - 1 and runs[-1][2] == hours:
            runs[-1][1], runs[-1][3] = weekday, day
        else:
            runs.append([weekday, weekday, hours, day])
    parts = []
    for first, last, hours, _ in runs:
        days = names[first] if first == last else f"{names[first]}–{names[last]}"
        parts.append(f"{days} {hours}")
    return Clock(
        zone=zone,
        abbreviation=" / ".join(dict.fromkeys(abbreviations)),
        hours="; ".join(parts),
    )

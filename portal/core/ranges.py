"""A time range written compactly, as a calendar shows it.

"Fri 11 Dec 2026, 10:00–11:30 Santiago" / "vie 11 dic 2026, 10:00–11:30 Santiago": the day
once, the two clock times, the zone's city once (in the reader's language: "Londres"). A
range across midnight names both days ("Fri 11 Dec 2026, 23:00 – Sat 12 Dec 2026, 01:00
Santiago"); a range across a change of the clocks names each end's offset, since its two
times alone would mislead ("23:30 (-03)–23:30 (-04)" is one hour). Babel writes the names of
days and months in the reader's language, with the same pattern in both, so English and
Spanish read alike.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

from portal.core.clock import city

# Day, day of the month, month and year: "Fri 11 Dec 2026", "vie 11 dic 2026".
DAY_PATTERN = "EEE d MMM y"
TIME_PATTERN = "HH:mm"  # the same digits in every locale


def _language(locale: str) -> str:
    return "es" if str(locale).lower().startswith("es") else "en"


def short_city(zone: str, locale: str) -> str:
    """The zone's city in the reader's language, as short as the English one: CLDR's Spanish
    "Santiago de Chile" is "Santiago", as in English; "Londres" stays "Londres"."""
    local, english = city(zone, _language(locale)), city(zone, "en")
    if local.startswith(f"{english} "):
        return english
    return local


def day_name(day: date, locale: str) -> str:
    """ "Fri 11 Dec 2026": a calendar day (a due date, a row of the phone's list)."""
    return format_date(day, DAY_PATTERN, locale=_language(locale))


def compact_day(moment: datetime, zone: str, locale: str) -> str:
    """ "Fri 11 Dec 2026": the day of an instant on the clock of `zone`."""
    tz = ZoneInfo(zone)
    return format_datetime(moment, DAY_PATTERN, tzinfo=tz, locale=_language(locale))


def compact_range(starts_at: datetime, ends_at: datetime, zone: str, locale: str) -> str:
    """The range [starts_at, ends_at] (aware instants) on the clock of `zone`."""
    tz = ZoneInfo(zone)
    language = _language(locale)
    start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)
    offsets_differ = start.utcoffset() != end.utcoffset()

    def time(moment: datetime) -> str:
        text = format_datetime(moment, TIME_PATTERN, tzinfo=tz, locale=language)
        return f"{text} ({moment.tzname()})" if offsets_differ else text

    place = short_city(zone, language)
    if start.date() == end.date():
        return f"{compact_day(start, zone, language)}, {time(start)}–{time(end)} {place}"
    return (
        f"{compact_day(start, zone, language)}, {time(start)} – "
        f"{compact_day(end, zone, language)}, {time(end)} {place}"
    )


def compact_times(starts_at: datetime, ends_at: datetime, zone: str) -> str:
    """ "10:00–11:30": the clock times only, for a calendar cell that already names the day
    (an end on a later day is marked "+1")."""
    tz = ZoneInfo(zone)
    start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)
    later = (end.date() - start.date()).days
    suffix = f" (+{later})" if later > 0 else ""
    return f"{start:%H:%M}–{end:%H:%M}{suffix}"

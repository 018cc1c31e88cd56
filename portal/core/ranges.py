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
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date

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
    return _day_text(day, _language(locale))


# A month's calendar writes a few hundred ranges on a handful of days: Babel's formatting
# (locale data, pattern) was a third of the page's time. The text of a day in a language
# never changes, so it is remembered (a pure function's result, not a page's).
@lru_cache(maxsize=4096)
def _day_text(day: date, language: str) -> str:
    return format_date(day, DAY_PATTERN, locale=language)


def compact_day(moment: datetime, zone: str, locale: str) -> str:
    """ "Fri 11 Dec 2026": the day of an instant on the clock of `zone`."""
    return _day_text(moment.astimezone(ZoneInfo(zone)).date(), _language(locale))


def compact_range(starts_at: datetime, ends_at: datetime, zone: str, locale: str) -> str:
    """The range [starts_at, ends_at] (aware instants) on the clock of `zone`."""
    tz = ZoneInfo(zone)
    language = _language(locale)
    start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)
    offsets_differ = start.utcoffset() != end.utcoffset()

    def time(moment: datetime) -> str:
        text = f"{moment:%H:%M}"  # TIME_PATTERN: the same digits in every locale
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

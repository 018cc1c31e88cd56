"""A moment on a zone's wall clock, as the portal writes it next to the other party's."""

from datetime import UTC, date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, get_timezone_location


def day_in(zone: str, instant: datetime | None = None) -> date:
    """The date on `zone`'s clock at `instant` (now by default): "today" there."""
    return (instant or datetime.now(UTC)).astimezone(ZoneInfo(zone)).date()


@cache
def city(zone: str, locale: str) -> str:
    """The zone's exemplar city in the reader's language ("Santiago", "Londres", "Bogotá")."""
    return get_timezone_location(ZoneInfo(zone), locale=locale, return_city=True)


def local_clock(
    instant: datetime, zone: str, locale: str, reference_zone: str | None = None
) -> str:
    """ "10:00 Santiago (-03)", with the date when it differs from the reference zone's date."""
    tz = ZoneInfo(zone)
    local = instant.astimezone(tz)
    text = f"{local:%H:%M} {city(zone, locale)}"  # HH:mm: the same digits in every locale
    abbreviation = local.tzname() or ""
    text += f" ({abbreviation})" if abbreviation else ""
    if reference_zone and local.date() != day_in(reference_zone, instant):
        text += " " + format_datetime(local, "EEE d MMM", tzinfo=tz, locale=locale)
    return text

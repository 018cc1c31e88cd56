"""An instant's text (core/i18n.py) finds Babel's pattern for its skeleton once per language:
it must write exactly what Babel's own format_skeleton writes, across zones, languages,
daylight-saving changes and the turn of a year."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton

from portal.core.i18n import _datetime_text

ZONES = ("America/Santiago", "Europe/London", "America/Bogota", "Asia/Tokyo", "UTC")


def test_an_instants_text_is_babels_in_every_zone_and_language():
    start = datetime(2025, 12, 30, 22, 45, tzinfo=UTC)
    for step in range(0, 24 * 400, 37):  # some 260 instants over 400 days, at odd minutes
        instant = start + timedelta(hours=step, minutes=step % 60)
        for zone in ZONES:
            for language in ("en", "es"):
                tz = ZoneInfo(zone)
                day = format_skeleton("yMMMEd", instant, tzinfo=tz, locale=language)
                clock = format_skeleton("Hm", instant, tzinfo=tz, locale=language)
                expected = f"{day}, {clock} ({zone})"
                assert _datetime_text(instant, zone, language) == expected

"""Local wall-clock times in IANA zones: converting them to instants without guessing.

On a day when clocks change, a local time may not exist (the hour skipped in
spring) or may happen twice (the hour repeated in autumn). Those are refused or
asked about, never resolved silently.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l

from portal.core.errors import ValidationError


class LocalTimeError(ValueError):
    def __init__(self, local: datetime, zone: str) -> None:
        super().__init__(f"{local:%Y-%m-%d %H:%M} in {zone}")
        self.local = local
        self.zone = zone


class NonexistentLocalTime(LocalTimeError):
    """The clock skips this time on this day."""


class AmbiguousLocalTime(LocalTimeError):
    """The clock shows this time twice on this day; fold 0 is the first, 1 the second."""

    def offsets(self) -> tuple[str, str]:
        tz = ZoneInfo(self.zone)
        return tuple(_utc_offset(self.local.replace(tzinfo=tz, fold=f)) for f in (0, 1))


def _utc_offset(moment: datetime) -> str:
    total = int(moment.utcoffset().total_seconds() // 60)
    sign = "+" if total >= 0 else "−"
    hours, minutes = divmod(abs(total), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def to_utc(local: datetime, zone: str, fold: int | None = None) -> datetime:
    """The instant a naive local time names in `zone`.

    Raises NonexistentLocalTime in a gap, and AmbiguousLocalTime in an overlap
    unless `fold` says which of the two is meant.
    """
    tz = ZoneInfo(zone)
    first = local.replace(tzinfo=tz, fold=0)
    second = local.replace(tzinfo=tz, fold=1)
    if first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != local:
        raise NonexistentLocalTime(local, zone)
    if first.utcoffset() != second.utcoffset():
        if fold is None:
            raise AmbiguousLocalTime(local, zone)
        return (second if fold else first).astimezone(UTC)
    return first.astimezone(UTC)


def local_instant(local: datetime, zone: str, fold: int | None, field: str) -> datetime:
    """`to_utc` for a form's `field`: a skipped time is refused with a message for that field.

    AmbiguousLocalTime propagates, so the view can ask which of the two times is meant.
    """
    try:
        return to_utc(local, zone, fold)
    except NonexistentLocalTime as error:
        raise ValidationError(
            str(
                _l(
                    "%(time)s does not exist in %(zone)s: the clocks skip that hour for "
                    "daylight saving time. Choose another time.",
                    time=format_datetime(local, "d MMM y HH:mm", rebase=False),
                    zone=zone,
                )
            ),
            field=field,
        ) from error

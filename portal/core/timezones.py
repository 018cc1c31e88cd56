"""IANA time zones: the only zones a person, a party or a meeting may name."""

from functools import cache
from zoneinfo import available_timezones


@cache
def all_timezones() -> tuple[str, ...]:
    # Names like "Factory" or "localtime" are not places anybody lives in.
    return tuple(sorted(z for z in available_timezones() if "/" in z or z == "UTC"))


def is_valid_timezone(name: str) -> bool:
    return name in _timezone_set()


@cache
def _timezone_set() -> frozenset[str]:
    return frozenset(all_timezones())

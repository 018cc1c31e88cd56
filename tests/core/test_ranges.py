"""Ranges written compactly, in English and Spanish: the day once, both days across midnight,
each end's offset across a change of the clocks."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from portal.core.ranges import compact_range, compact_times, day_name

SANTIAGO = "America/Santiago"
LONDON = "Europe/London"


def _at(zone: str, *fields: int) -> datetime:
    return datetime(*fields, tzinfo=ZoneInfo(zone))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Fri 11 Dec 2026, 10:00–11:30 Santiago"),
        ("es", "vie 11 dic 2026, 10:00–11:30 Santiago"),
    ],
)
def test_a_range_within_a_day(language, expected):
    start, end = _at(SANTIAGO, 2026, 12, 11, 10), _at(SANTIAGO, 2026, 12, 11, 11, 30)
    assert compact_range(start, end, SANTIAGO, language) == expected


def test_the_range_is_written_on_the_readers_clock_and_city():
    start = datetime(2026, 12, 11, 13, tzinfo=UTC)
    end = datetime(2026, 12, 11, 14, 30, tzinfo=UTC)
    assert compact_range(start, end, LONDON, "en") == "Fri 11 Dec 2026, 13:00–14:30 London"
    assert compact_range(start, end, LONDON, "es") == "vie 11 dic 2026, 13:00–14:30 Londres"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Fri 11 Dec 2026, 23:00 – Sat 12 Dec 2026, 01:00 Santiago"),
        ("es", "vie 11 dic 2026, 23:00 – sáb 12 dic 2026, 01:00 Santiago"),
    ],
)
def test_a_range_across_midnight_names_both_days(language, expected):
    start, end = _at(SANTIAGO, 2026, 12, 11, 23), _at(SANTIAGO, 2026, 12, 12, 1)
    assert compact_range(start, end, SANTIAGO, language) == expected
    assert compact_times(start, end, SANTIAGO) == "23:00–01:00 (+1)"


def test_an_hour_across_santiagos_clocks_going_back_names_both_offsets():
    # 4 April 2026: at midnight (-03) Santiago's clocks go back to 23:00 (-04).
    start = datetime(2026, 4, 5, 2, 30, tzinfo=UTC)  # 23:30 -03
    end = datetime(2026, 4, 5, 3, 30, tzinfo=UTC)  # 23:30 -04, one hour later
    assert compact_range(start, end, SANTIAGO, "en") == (
        "Sat 4 Apr 2026, 23:30 (-03)–23:30 (-04) Santiago"
    )
    assert compact_range(start, end, SANTIAGO, "es") == (
        "sáb 4 abr 2026, 23:30 (-03)–23:30 (-04) Santiago"
    )


def test_an_hour_across_londons_clocks_going_forward_names_both_offsets():
    # 29 March 2026: at 01:00 GMT London's clocks go forward to 02:00 BST.
    start = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    end = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert compact_range(start, end, LONDON, "en") == (
        "Sun 29 Mar 2026, 00:30 (GMT)–02:30 (BST) London"
    )
    assert compact_range(start, end, LONDON, "es") == (
        "dom 29 mar 2026, 00:30 (GMT)–02:30 (BST) Londres"
    )


def test_a_range_on_either_side_of_a_change_needs_no_offsets():
    winter = (_at(SANTIAGO, 2026, 7, 1, 10), _at(SANTIAGO, 2026, 7, 1, 11))
    assert compact_range(*winter, SANTIAGO, "en") == "Wed 1 Jul 2026, 10:00–11:00 Santiago"


def test_a_day_alone():
    assert day_name(date(2026, 12, 11), "en") == "Fri 11 Dec 2026"
    assert day_name(date(2026, 12, 11), "es") == "vie 11 dic 2026"

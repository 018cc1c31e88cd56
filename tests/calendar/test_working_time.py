"""When the demo parties are all at work: the overlap of every pair of their working hours on
both sides of every change of the clocks of 2026–2028, against a count minute by minute, and
written out by hand for Santiago–London and Bogotá–Madrid."""

from datetime import UTC, date, datetime, time, timedelta
from itertools import combinations
from zoneinfo import ZoneInfo

import pytest

from portal.accounts.demo import PARTIES, WORKING_TIME
from portal.calendar.working_time import (
    WorkingWeek,
    common_intervals,
    parse_days,
    slots,
    working_intervals,
)

ZONES = {code: zone for code, _kind, _en, _es, zone, _language in PARTIES}
YEARS = (2026, 2027, 2028)


def _week(code: str, holidays=None) -> WorkingWeek:
    days, start, end, _country, _region = WORKING_TIME[code]
    return WorkingWeek(ZONES[code], parse_days(days), start, end, holidays or {})


def _utc_day(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(), UTC)
    return start, start + timedelta(days=1)


def _changes(zone: str) -> list[date]:
    """The local dates on which the zone's clocks change in 2026–2028, read from zoneinfo."""
    tz = ZoneInfo(zone)
    found, day = [], date(YEARS[0], 1, 1)
    while day.year <= YEARS[-1]:
        noon = datetime.combine(day, time(12), tz)
        if noon.utcoffset() != (noon - timedelta(days=1)).utcoffset():
            found.append(day)
        day += timedelta(days=1)
    return found


def _at_work(week: WorkingWeek, instant: datetime) -> bool:
    """The oracle: is the party at work at this instant, read off its own wall clock?"""
    local = instant.astimezone(ZoneInfo(week.zone))
    minute = local.hour * 60 + local.minute
    return local.isoweekday() in week.days and week.start_minute <= minute < week.end_minute


def _minutes_together(weeks, day: date) -> int:
    start, _ = _utc_day(day)
    return sum(
        15
        for quarter in range(24 * 4)
        if all(_at_work(w, start + timedelta(minutes=15 * quarter)) for w in weeks)
    )


ALL_CHANGES = sorted({day for zone in set(ZONES.values()) for day in _changes(zone)})


def test_the_zones_change_their_clocks_in_each_year():
    # Guards the test below: Santiago, London, Madrid, Jerusalem and New York change twice a
    # year; Bogotá, Buenos Aires and Guayaquil keep one offset.
    for code in ("CL", "GB", "ES", "IL", "OAS"):
        assert len(_changes(ZONES[code])) == 2 * len(YEARS), code
    for code in ("CO", "AR", "EC"):
        assert _changes(ZONES[code]) == [], code


@pytest.mark.parametrize("pair", list(combinations(sorted(WORKING_TIME), 2)), ids="-".join)
def test_each_pair_overlaps_as_their_clocks_say_around_every_change(pair):
    weeks = [_week(code) for code in pair]
    for change in ALL_CHANGES:
        for offset in range(-4, 5):  # the working days either side of the change
            day = change + timedelta(days=offset)
            common = common_intervals(weeks, _utc_day(day))
            minutes = sum((end - start).total_seconds() // 60 for start, end in common)
            assert minutes == _minutes_together(weeks, day), (pair, day)
            for start, end in common:
                assert all(
                    _at_work(w, start) and _at_work(w, end - timedelta(minutes=1)) for w in weeks
                )


def _hm(text: str) -> time:
    return time.fromisoformat(text)


# Santiago 09:00–18:00 (UTC−3 in its summer, UTC−4 in its winter) and London 09:00–17:30
# (GMT, BST): the working day before and after each change, in UTC.
SANTIAGO_LONDON = [
    # (day, UTC start, UTC end)    what changed just before / after
    (date(2026, 3, 27), "12:00", "17:30"),  # Chile −3, GMT
    (date(2026, 3, 30), "12:00", "16:30"),  # London to BST (29 March)
    (date(2026, 4, 3), "12:00", "16:30"),
    (date(2026, 4, 6), "13:00", "16:30"),  # Santiago to −4 (5 April)
    (date(2026, 9, 4), "13:00", "16:30"),
    (date(2026, 9, 7), "12:00", "16:30"),  # Santiago to −3 (6 September)
    (date(2026, 10, 23), "12:00", "16:30"),
    (date(2026, 10, 26), "12:00", "17:30"),  # London to GMT (25 October)
    (date(2027, 3, 26), "12:00", "17:30"),
    (date(2027, 3, 29), "12:00", "16:30"),  # London to BST (28 March)
    (date(2027, 4, 2), "12:00", "16:30"),
    (date(2027, 4, 5), "13:00", "16:30"),  # Santiago to −4 (4 April)
    (date(2027, 9, 3), "13:00", "16:30"),
    (date(2027, 9, 6), "12:00", "16:30"),  # Santiago to −3 (5 September)
    (date(2027, 10, 29), "12:00", "16:30"),
    (date(2027, 11, 1), "12:00", "17:30"),  # London to GMT (31 October)
    (date(2028, 3, 24), "12:00", "17:30"),
    (date(2028, 3, 27), "12:00", "16:30"),  # London to BST (26 March)
    (date(2028, 3, 31), "12:00", "16:30"),
    (date(2028, 4, 3), "13:00", "16:30"),  # Santiago to −4 (2 April)
    (date(2028, 9, 1), "13:00", "16:30"),
    (date(2028, 9, 4), "12:00", "16:30"),  # Santiago to −3 (3 September)
    (date(2028, 10, 27), "12:00", "16:30"),
    (date(2028, 10, 30), "12:00", "17:30"),  # London to GMT (29 October)
]

# Bogotá 08:00–17:00 (UTC−5 all year) and Madrid 09:00–18:00 (CET, CEST), in UTC.
BOGOTA_MADRID = [
    (date(2026, 3, 27), "13:00", "17:00"),  # CET
    (date(2026, 3, 30), "13:00", "16:00"),  # Madrid to CEST (29 March)
    (date(2026, 10, 23), "13:00", "16:00"),
    (date(2026, 10, 26), "13:00", "17:00"),  # Madrid to CET (25 October)
    (date(2027, 3, 26), "13:00", "17:00"),
    (date(2027, 3, 29), "13:00", "16:00"),
    (date(2027, 10, 29), "13:00", "16:00"),
    (date(2027, 11, 1), "13:00", "17:00"),
    (date(2028, 3, 24), "13:00", "17:00"),
    (date(2028, 3, 27), "13:00", "16:00"),
    (date(2028, 10, 27), "13:00", "16:00"),
    (date(2028, 10, 30), "13:00", "17:00"),
]


@pytest.mark.parametrize(
    ("pair", "table"),
    [(("CL", "GB"), SANTIAGO_LONDON), (("CO", "ES"), BOGOTA_MADRID)],
    ids=["Santiago-London", "Bogota-Madrid"],
)
def test_the_overlap_written_out_by_hand(pair, table):
    weeks = [_week(code) for code in pair]
    for day, start, end in table:
        expected = [(datetime.combine(day, _hm(start), UTC), datetime.combine(day, _hm(end), UTC))]
        assert common_intervals(weeks, _utc_day(day)) == expected, day
    # Every change of either zone has a working day in the table just before and just after.
    for change in sorted({d for code in pair for d in _changes(ZONES[code])}):
        days = [day for day, _, _ in table]
        assert any(change - timedelta(days=4) <= d < change for d in days), change
        assert any(change <= d <= change + timedelta(days=4) for d in days), change


def test_israel_works_sunday_to_thursday():
    israel = _week("IL")
    week = [date(2026, 11, 1) + timedelta(days=n) for n in range(7)]  # Sunday 1 November
    working = [day for day in week if working_intervals(israel, day, day)]
    assert [d.isoweekday() for d in working] == [7, 1, 2, 3, 4]
    # With London (Monday–Friday): nothing in common on Sunday or Friday.
    london = _week("GB")
    assert common_intervals([israel, london], _utc_day(date(2026, 11, 1))) == []
    assert common_intervals([israel, london], _utc_day(date(2026, 11, 6))) == []
    # Monday: Jerusalem 09:00–18:00 is 07:00–16:00 UTC in winter; London 09:00–17:30 GMT.
    assert common_intervals([israel, london], _utc_day(date(2026, 11, 2))) == [
        (datetime(2026, 11, 2, 9, 0, tzinfo=UTC), datetime(2026, 11, 2, 16, 0, tzinfo=UTC))
    ]


def test_a_holiday_takes_the_day_out():
    chile = _week("CL", {date(2026, 9, 18): "Día de la Independencia"})
    assert working_intervals(chile, date(2026, 9, 17), date(2026, 9, 18)) == [
        (datetime(2026, 9, 17, 12, 0, tzinfo=UTC), datetime(2026, 9, 17, 21, 0, tzinfo=UTC))
    ]


def test_slots_of_an_hour_every_half_hour():
    common = [(datetime(2026, 12, 3, 12, 0, tzinfo=UTC), datetime(2026, 12, 3, 14, 30, tzinfo=UTC))]
    found = slots(common, timedelta(hours=1), timedelta(minutes=30))
    assert [(s.strftime("%H:%M"), e.strftime("%H:%M")) for s, e in found] == [
        ("12:00", "13:00"),
        ("12:30", "13:30"),
        ("13:00", "14:00"),
        ("13:30", "14:30"),
    ]


def test_a_week_without_days_or_with_hours_backwards_is_refused():
    with pytest.raises(ValueError):
        WorkingWeek("Europe/London", frozenset(), 540, 1020)
    with pytest.raises(ValueError):
        WorkingWeek("Europe/London", frozenset({1}), 1020, 540)

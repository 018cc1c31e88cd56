"""Daylight saving time, 2026–2028, in the parties' zones.

Every expected instant below is written out by hand from the zones' published
rules (EU: last Sunday of March and October; Chile: first Sunday on or after
2 April and 2 September; Colombia: no DST), never computed by the code under test.
"""

from datetime import UTC, datetime

import pytest

from portal.accounts.models import User
from portal.calendar.localtime import AmbiguousLocalTime, NonexistentLocalTime, to_utc
from portal.core.errors import ValidationError
from portal.core.extensions import db
from portal.core.i18n import clocks
from portal.core.tlp import TLP
from portal.meetings.recurrence import AmbiguousOccurrences, Frequency, Recurrence
from portal.meetings.services import MeetingDetails, schedule_meeting
from portal.mous.models import WorkingGroup

# The meetings here are dated from 2026 on (see tests/conftest.py).
pytestmark = pytest.mark.usefixtures("clock_before_2026")


def utc(*parts):
    return datetime(*parts, tzinfo=UTC)


# (zone, the Sunday a week before the change, the Sunday of the change,
#  10:00 local before and after, as UTC)
WEEKLY_ACROSS_CHANGES = [
    ("Europe/London", (2026, 3, 22), (2026, 3, 29), utc(2026, 3, 22, 10), utc(2026, 3, 29, 9)),
    ("Europe/London", (2026, 10, 18), (2026, 10, 25), utc(2026, 10, 18, 9), utc(2026, 10, 25, 10)),
    ("Europe/London", (2027, 3, 21), (2027, 3, 28), utc(2027, 3, 21, 10), utc(2027, 3, 28, 9)),
    ("Europe/London", (2027, 10, 24), (2027, 10, 31), utc(2027, 10, 24, 9), utc(2027, 10, 31, 10)),
    ("Europe/London", (2028, 3, 19), (2028, 3, 26), utc(2028, 3, 19, 10), utc(2028, 3, 26, 9)),
    ("Europe/London", (2028, 10, 22), (2028, 10, 29), utc(2028, 10, 22, 9), utc(2028, 10, 29, 10)),
    ("Europe/Madrid", (2026, 3, 22), (2026, 3, 29), utc(2026, 3, 22, 9), utc(2026, 3, 29, 8)),
    ("Europe/Madrid", (2026, 10, 18), (2026, 10, 25), utc(2026, 10, 18, 8), utc(2026, 10, 25, 9)),
    ("Europe/Madrid", (2027, 3, 21), (2027, 3, 28), utc(2027, 3, 21, 9), utc(2027, 3, 28, 8)),
    ("Europe/Madrid", (2027, 10, 24), (2027, 10, 31), utc(2027, 10, 24, 8), utc(2027, 10, 31, 9)),
    ("Europe/Madrid", (2028, 3, 19), (2028, 3, 26), utc(2028, 3, 19, 9), utc(2028, 3, 26, 8)),
    ("Europe/Madrid", (2028, 10, 22), (2028, 10, 29), utc(2028, 10, 22, 8), utc(2028, 10, 29, 9)),
    # Chile: summer time (-03) ends in April, starts in September (-04 in winter).
    ("America/Santiago", (2026, 3, 29), (2026, 4, 5), utc(2026, 3, 29, 13), utc(2026, 4, 5, 14)),
    ("America/Santiago", (2026, 8, 30), (2026, 9, 6), utc(2026, 8, 30, 14), utc(2026, 9, 6, 13)),
    ("America/Santiago", (2027, 3, 28), (2027, 4, 4), utc(2027, 3, 28, 13), utc(2027, 4, 4, 14)),
    ("America/Santiago", (2027, 8, 29), (2027, 9, 5), utc(2027, 8, 29, 14), utc(2027, 9, 5, 13)),
    ("America/Santiago", (2028, 3, 26), (2028, 4, 2), utc(2028, 3, 26, 13), utc(2028, 4, 2, 14)),
    ("America/Santiago", (2028, 8, 27), (2028, 9, 3), utc(2028, 8, 27, 14), utc(2028, 9, 3, 13)),
    # Colombia keeps -05 all year: the same hour across the others' changes.
    ("America/Bogota", (2026, 3, 22), (2026, 3, 29), utc(2026, 3, 22, 15), utc(2026, 3, 29, 15)),
    ("America/Bogota", (2026, 8, 30), (2026, 9, 6), utc(2026, 8, 30, 15), utc(2026, 9, 6, 15)),
    (
        "America/Bogota",
        (2027, 10, 24),
        (2027, 10, 31),
        utc(2027, 10, 24, 15),
        utc(2027, 10, 31, 15),
    ),
    ("America/Bogota", (2028, 3, 26), (2028, 4, 2), utc(2028, 3, 26, 15), utc(2028, 4, 2, 15)),
]

SKIPPED = [  # local times the clocks jump over
    ("Europe/London", (2026, 3, 29, 1, 30)),
    ("Europe/London", (2027, 3, 28, 1, 30)),
    ("Europe/London", (2028, 3, 26, 1, 30)),
    ("Europe/Madrid", (2026, 3, 29, 2, 30)),
    ("Europe/Madrid", (2027, 3, 28, 2, 30)),
    ("Europe/Madrid", (2028, 3, 26, 2, 30)),
    ("America/Santiago", (2026, 9, 6, 0, 30)),
    ("America/Santiago", (2027, 9, 5, 0, 30)),
    ("America/Santiago", (2028, 9, 3, 0, 30)),
]

TWICE = [  # local times that happen twice: (zone, local, first instant, second instant)
    ("Europe/London", (2026, 10, 25, 1, 30), utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30)),
    ("Europe/London", (2027, 10, 31, 1, 30), utc(2027, 10, 31, 0, 30), utc(2027, 10, 31, 1, 30)),
    ("Europe/London", (2028, 10, 29, 1, 30), utc(2028, 10, 29, 0, 30), utc(2028, 10, 29, 1, 30)),
    ("Europe/Madrid", (2026, 10, 25, 2, 30), utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30)),
    ("Europe/Madrid", (2027, 10, 31, 2, 30), utc(2027, 10, 31, 0, 30), utc(2027, 10, 31, 1, 30)),
    ("Europe/Madrid", (2028, 10, 29, 2, 30), utc(2028, 10, 29, 0, 30), utc(2028, 10, 29, 1, 30)),
    ("America/Santiago", (2026, 4, 4, 23, 30), utc(2026, 4, 5, 2, 30), utc(2026, 4, 5, 3, 30)),
    ("America/Santiago", (2027, 4, 3, 23, 30), utc(2027, 4, 4, 2, 30), utc(2027, 4, 4, 3, 30)),
    ("America/Santiago", (2028, 4, 1, 23, 30), utc(2028, 4, 2, 2, 30), utc(2028, 4, 2, 3, 30)),
]


def _details(zone, day, hour=10, **overrides):
    return MeetingDetails(
        title_en="Weekly call",
        title_es="Llamada semanal",
        description_md="",
        start_local=datetime(*day, hour, 0),
        end_local=datetime(*day, hour + 1, 0),
        timezone=zone,
        place="",
        video_url="",
        tlp=TLP.AMBER,
        **overrides,
    )


def _schedule(world, details, recurrence=None, **kwargs):
    actor = db.session.get(User, world.coordinator_cl.id)
    group = db.session.get(WorkingGroup, world.group.id)
    return schedule_meeting(db.session, actor, group, details, recurrence, **kwargs)


@pytest.mark.parametrize(
    ("zone", "week_before", "change_day", "before", "after"), WEEKLY_ACROSS_CHANGES
)
def test_a_weekly_series_keeps_its_local_time_across_the_change(
    world, app_context, zone, week_before, change_day, before, after
):
    first = _schedule(world, _details(zone, week_before), Recurrence(Frequency.WEEKLY, count=2))
    starts = [m.starts_at for m in first.series.meetings]
    assert starts == [before, after]
    assert [m.original_start_local.hour for m in first.series.meetings] == [10, 10]


# The other parties' clocks, for a Chile–UK meeting (hand-computed).
OTHER_CLOCKS = [
    (utc(2026, 3, 22, 10), "10:00 London (GMT) · 07:00 Santiago (-03)"),
    (utc(2026, 3, 29, 9), "10:00 London (BST) · 06:00 Santiago (-03)"),
    (utc(2026, 10, 18, 9), "10:00 London (BST) · 06:00 Santiago (-03)"),
    (utc(2026, 10, 25, 10), "10:00 London (GMT) · 07:00 Santiago (-03)"),
    (utc(2026, 3, 29, 13), "14:00 London (BST) · 10:00 Santiago (-03)"),
    (utc(2026, 4, 5, 14), "15:00 London (BST) · 10:00 Santiago (-04)"),
    (utc(2026, 8, 30, 14), "15:00 London (BST) · 10:00 Santiago (-04)"),
    (utc(2026, 9, 6, 13), "14:00 London (BST) · 10:00 Santiago (-03)"),
]


@pytest.mark.parametrize(("instant", "expected"), OTHER_CLOCKS)
def test_each_party_sees_its_own_local_time(words_context, instant, expected):
    assert clocks(instant, ["Europe/London", "America/Santiago"]) == expected


def test_the_date_is_shown_when_another_party_is_already_on_the_next_day(words_context):
    # 20:30 on Monday in Santiago (-03) is 00:30 on Tuesday in Madrid (+01).
    text = clocks(
        utc(2026, 11, 23, 23, 30), ["America/Santiago", "Europe/Madrid"], "America/Santiago"
    )
    assert text == "20:30 Santiago (-03) · 00:30 Madrid (CET) Tue 24 Nov"


@pytest.mark.parametrize(("zone", "local"), SKIPPED)
def test_a_skipped_local_time_is_refused(world, app_context, zone, local):
    with pytest.raises(NonexistentLocalTime):
        to_utc(datetime(*local), zone)
    day, hour = local[:3], local[3]
    details = _details(zone, day, hour=hour)
    details = MeetingDetails(**{**details.__dict__, "start_local": datetime(*local)})
    with pytest.raises(ValidationError, match="does not exist"):
        _schedule(world, details)


@pytest.mark.parametrize(("zone", "local", "first", "second"), TWICE)
def test_a_local_time_that_happens_twice_is_asked_about(words_context, zone, local, first, second):
    with pytest.raises(AmbiguousLocalTime):
        to_utc(datetime(*local), zone)
    assert to_utc(datetime(*local), zone, fold=0) == first
    assert to_utc(datetime(*local), zone, fold=1) == second


def test_a_series_over_a_skipped_hour_is_refused(world, app_context):
    # Weekly on Sundays at 00:30 in Santiago: 6 September 2026 has no 00:30.
    details = MeetingDetails(
        **{
            **_details("America/Santiago", (2026, 8, 30)).__dict__,
            "start_local": datetime(2026, 8, 30, 0, 30),
            "end_local": datetime(2026, 8, 30, 1, 0),
        }
    )
    with pytest.raises(ValidationError, match="hour skipped"):
        _schedule(world, details, Recurrence(Frequency.WEEKLY, count=3))


def test_a_series_over_a_repeated_hour_needs_confirmation(world, app_context):
    details = MeetingDetails(
        **{
            **_details("America/Santiago", (2026, 3, 28)).__dict__,
            "start_local": datetime(2026, 3, 28, 23, 30),
            "end_local": datetime(2026, 3, 29, 0, 0),
        }
    )
    with pytest.raises(AmbiguousOccurrences) as asked:
        _schedule(world, details, Recurrence(Frequency.WEEKLY, count=2))
    assert asked.value.moments == [datetime(2026, 4, 4, 23, 30)]
    first = _schedule(world, details, Recurrence(Frequency.WEEKLY, count=2), confirm_ambiguous=True)
    # RFC 5545: the first of the two, 23:30 at -03.
    assert [m.starts_at for m in first.series.meetings] == [
        utc(2026, 3, 29, 2, 30),
        utc(2026, 4, 5, 2, 30),
    ]

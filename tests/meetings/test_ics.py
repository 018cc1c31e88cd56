"""iCalendar files: what Outlook, Google and Apple need (see /work/shared/ICALENDAR.md).

Every file is parsed with icalendar and expanded with recurring_ical_events, and the
instants it describes are compared with the portal's own Meeting rows.
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
import time_machine
from dateutil.rrule import rrulestr
from dateutil.tz import tzoffset
from icalendar import Calendar, Timezone

from portal.accounts.models import User
from portal.calendar.vtimezone import vtimezone, zone_transitions
from portal.core.extensions import db
from portal.core.tlp import TLP
from portal.meetings import cancelling
from portal.meetings import services as scheduling
from portal.meetings.ics import meeting_calendar, personal_feed, series_calendar
from portal.meetings.models import Meeting, MeetingSeries
from portal.meetings.recurrence import Frequency, Recurrence
from portal.meetings.services import MeetingDetails, Scope
from portal.mous.models import WorkingGroup
from tests import factories

# The meetings here are dated from 2026 on (see tests/conftest.py).
pytestmark = pytest.mark.usefixtures("clock_before_2026")

ORGANISER = {"organiser_email": "portal@demo.portal", "organiser_name": "Coordinación Chile"}
FAR_PAST, FAR_FUTURE = datetime(2020, 1, 1, tzinfo=UTC), datetime(2040, 1, 1, tzinfo=UTC)


# Helpers ----------------------------------------------------------------------------------------


class _NoMail:
    """Stands in for portal.meetings.notifications: these tests look at files, not mails."""

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


@pytest.fixture(autouse=True)
def no_mail(monkeypatch):
    monkeypatch.setattr(scheduling, "notify", _NoMail())


def _details(start: datetime, zone: str, **overrides) -> MeetingDetails:
    fields = {
        "title_en": "Incident response exercise",
        "title_es": "Ejercicio de respuesta a incidentes",
        "description_md": "Review the **playbook**.",
        "start_local": start,
        "end_local": start + timedelta(hours=1),
        "timezone": zone,
        "place": "Ministerio del Interior, Santiago",
        "video_url": "https://meet.example.org/wg",
        "tlp": TLP.AMBER,
    }
    fields.update(overrides)
    return MeetingDetails(**fields)


def _schedule_series(
    app, world, start: datetime, zone: str, until: date, details=None, **kwargs
) -> int:
    """A weekly series through the portal's own scheduling; returns the series id."""
    with app.test_request_context():
        actor = db.session.get(User, world.coordinator_cl.id)
        group = db.session.get(WorkingGroup, world.group.id)
        first = scheduling.schedule_meeting(
            db.session,
            actor,
            group,
            _details(start, zone, **(details or {})),
            Recurrence(Frequency.WEEKLY, until_on=until),
            **kwargs,
        )
        db.session.commit()
        return first.series_id


def _series_file(app, series_id: int, method="REQUEST", attendee_id=None, **kwargs) -> str:
    with app.test_request_context():
        series = db.session.get(MeetingSeries, series_id)
        attendee = db.session.get(User, attendee_id) if attendee_id else None
        return series_calendar(series, method=method, attendee=attendee, **ORGANISER, **kwargs)


def _rows(session, series_id: int) -> list[Meeting]:
    session.expire_all()
    return session.get(MeetingSeries, series_id).meetings


def _checked(text: str) -> Calendar:
    """Parse a file and check what every file must satisfy (points 8 and 10)."""
    raw = text.encode("utf-8")
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines)
    calendar = Calendar.from_ical(text)
    names = [c.name for c in calendar.subcomponents]
    zones = {str(c["TZID"]) for c in calendar.walk("VTIMEZONE")}
    assert _tzids(calendar) <= zones
    if zones:
        assert _last_index(names, "VTIMEZONE") < names.index("VEVENT")
    recurring_ical_events.of(calendar).between(FAR_PAST, FAR_FUTURE)
    return calendar


def _last_index(names: list[str], name: str) -> int:
    return len(names) - 1 - names[::-1].index(name)


def _tzids(calendar: Calendar) -> set[str]:
    found = set()
    for event in calendar.walk("VEVENT"):
        for value in event.values():
            for item in value if isinstance(value, list) else [value]:
                tzid = getattr(item, "params", {}).get("TZID")
                if tzid:
                    found.add(tzid)
    return found


def _expanded_starts(calendar: Calendar) -> list[datetime]:
    events = recurring_ical_events.of(calendar).between(FAR_PAST, FAR_FUTURE)
    return sorted(e["DTSTART"].dt.astimezone(UTC) for e in events)


def _rule_instants(master) -> set[datetime]:
    """What the master's RRULE produces, expanded by dateutil on its own."""
    start = master["DTSTART"].dt
    rule = rrulestr(master["RRULE"].to_ical().decode(), dtstart=start)
    return {moment.astimezone(UTC) for moment in rule}


def _exdates(master) -> set[datetime]:
    values = master.get("EXDATE", [])
    values = values if isinstance(values, list) else [values]
    return {d.dt.astimezone(UTC) for value in values for d in value.dts}


def _master_and_changes(calendar: Calendar):
    events = calendar.walk("VEVENT")
    [master] = [e for e in events if "RRULE" in e]
    return master, [e for e in events if "RECURRENCE-ID" in e]


# Series against the portal's rows ---------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "start", "until", "hand_written"),
    [
        pytest.param(
            "America/Santiago",
            datetime(2026, 8, 20, 10, 0),
            date(2026, 10, 15),
            {datetime(2026, 9, 3, 14, 0, tzinfo=UTC), datetime(2026, 9, 10, 13, 0, tzinfo=UTC)},
            id="santiago-september",
        ),
        pytest.param(
            "America/Santiago",
            datetime(2026, 3, 19, 10, 0),
            date(2026, 4, 30),
            {datetime(2026, 4, 2, 13, 0, tzinfo=UTC), datetime(2026, 4, 9, 14, 0, tzinfo=UTC)},
            id="santiago-april",
        ),
        pytest.param(
            "Europe/London",
            datetime(2027, 3, 11, 10, 0),
            date(2027, 4, 15),
            {datetime(2027, 3, 25, 10, 0, tzinfo=UTC), datetime(2027, 4, 1, 9, 0, tzinfo=UTC)},
            id="london-march",
        ),
        pytest.param(
            "Europe/London",
            datetime(2027, 10, 14, 10, 0),
            date(2027, 11, 11),
            {datetime(2027, 10, 28, 9, 0, tzinfo=UTC), datetime(2027, 11, 4, 10, 0, tzinfo=UTC)},
            id="london-october",
        ),
    ],
)
def test_a_weekly_series_expands_to_the_portals_meetings(
    app, world, session, zone, start, until, hand_written
):
    series_id = _schedule_series(app, world, start, zone, until)
    calendar = _checked(_series_file(app, series_id, attendee_id=world.member_cl.id))
    expanded = _expanded_starts(calendar)
    assert expanded == [m.starts_at for m in _rows(session, series_id)]
    assert hand_written <= set(expanded)
    assert _tzids(calendar) == {zone}
    master, _ = _master_and_changes(calendar)
    assert str(master["DTSTART"].params["TZID"]) == zone
    assert master["DTSTART"].dt.replace(tzinfo=None) == start
    assert master["DTEND"].dt - master["DTSTART"].dt == timedelta(hours=1)
    _assert_offsets_match_zoneinfo(calendar.walk("VTIMEZONE")[0], expanded, zone)


def test_an_occurrence_in_the_hour_that_happens_twice_is_its_first_one(app, world, session):
    # 4 April 2026, 23:30 in Santiago happens at 02:30Z and again at 03:30Z; the portal and
    # RFC 5545 both take the first. The first meeting ends at the second 23:30, one hour
    # later: a wall-clock time only UTC can name in the file.
    series_id = _schedule_series(
        app,
        world,
        datetime(2026, 4, 4, 23, 30),
        "America/Santiago",
        date(2026, 4, 25),
        details={"end_local": datetime(2026, 4, 4, 23, 30), "start_fold": 0, "end_fold": 1},
        confirm_ambiguous=True,
    )
    calendar = _checked(_series_file(app, series_id))
    rows = _rows(session, series_id)
    assert _expanded_starts(calendar) == [m.starts_at for m in rows]
    assert rows[0].starts_at == datetime(2026, 4, 5, 2, 30, tzinfo=UTC)
    assert rows[1].starts_at == datetime(2026, 4, 12, 3, 30, tzinfo=UTC)
    # RFC 5545 durations in hours are exact: DTEND - DTSTART is the one hour of every meeting.
    # (recurring_ical_events adds it on the wall clock, like Python, so it is not asked here.)
    master, _ = _master_and_changes(calendar)
    assert master["DTEND"].to_ical() == b"20260405T033000Z"
    assert master["DTEND"].dt - master["DTSTART"].dt.astimezone(UTC) == timedelta(hours=1)
    assert {m.ends_at - m.starts_at for m in rows} == {timedelta(hours=1)}


def _change_occurrence(app, meeting_id: int, new_start: datetime) -> None:
    with app.test_request_context():
        meeting = db.session.get(Meeting, meeting_id)
        actor = meeting.organiser
        scheduling.update_meeting(
            db.session,
            actor,
            meeting,
            _details(new_start, meeting.timezone, title_en="Moved exercise"),
            Scope.THIS,
        )
        db.session.commit()


def _cancel(app, meeting_id: int, scope: Scope = Scope.THIS) -> None:
    with app.test_request_context():
        meeting = db.session.get(Meeting, meeting_id)
        cancelling.cancel_meeting(db.session, meeting.organiser, meeting, scope)
        db.session.commit()


def test_moved_and_cancelled_occurrences_travel_with_the_series(app, world, session):
    zone = "America/Santiago"
    series_id = _schedule_series(app, world, datetime(2026, 8, 20, 10, 0), zone, date(2026, 10, 15))
    rows = _rows(session, series_id)
    moved, cancelled = rows[2], rows[4]  # 3 September, 17 September
    _change_occurrence(app, moved.id, datetime(2026, 9, 4, 15, 0))
    _cancel(app, cancelled.id)

    calendar = _checked(_series_file(app, series_id, attendee_id=world.member_gb.id))
    rows = _rows(session, series_id)
    series = session.get(MeetingSeries, series_id)
    assert series.sequence == 2
    assert _expanded_starts(calendar) == sorted(m.starts_at for m in rows if not m.is_cancelled)
    master, [change] = _master_and_changes(calendar)
    produced = _rule_instants(master)
    assert _exdates(master) == {datetime(2026, 9, 17, 13, 0, tzinfo=UTC)}
    assert _exdates(master) <= produced
    assert change["RECURRENCE-ID"].dt.astimezone(UTC) in produced
    assert change["RECURRENCE-ID"].dt == datetime(2026, 9, 3, 10, 0, tzinfo=ZoneInfo(zone))
    assert str(change["RECURRENCE-ID"].params["TZID"]) == zone
    assert change["DTSTART"].dt.astimezone(UTC) == datetime(2026, 9, 4, 19, 0, tzinfo=UTC)
    assert str(change["SUMMARY"]) == "Moved exercise"
    assert str(master["SUMMARY"]) == "Incident response exercise"
    for event in (master, change):
        assert str(event["UID"]) == series.uid
        assert event["SEQUENCE"] == 2
        assert event["ATTENDEE"].params["RSVP"] == "TRUE"
        assert event["ATTENDEE"].params["PARTSTAT"] == "NEEDS-ACTION"
        assert event["ATTENDEE"].params["CN"] == "Emily Clarke"
        assert str(event["ATTENDEE"]) == "mailto:member.gb@example.org"
        assert str(event["STATUS"]) == "CONFIRMED"


def test_cancelling_one_occurrence_names_it_by_recurrence_id(app, world, session):
    series_id = _schedule_series(
        app, world, datetime(2027, 3, 11, 10, 0), "Europe/London", date(2027, 4, 15)
    )
    cancelled = _rows(session, series_id)[3]  # 1 April 2027, the first week of summer time
    _cancel(app, cancelled.id)
    text = _series_file(
        app,
        series_id,
        method="CANCEL",
        attendee_id=world.member_gb.id,
        cancelled_occurrence=session.get(Meeting, cancelled.id),
    )
    calendar = _checked(text)
    assert str(calendar["METHOD"]) == "CANCEL"
    [event] = calendar.walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    assert "RRULE" not in event
    assert event["RECURRENCE-ID"].dt.astimezone(UTC) == datetime(2027, 4, 1, 9, 0, tzinfo=UTC)
    assert event["SEQUENCE"] == 1
    assert "RSVP" not in event["ATTENDEE"].params
    # The next REQUEST lists the occurrence in EXDATE.
    master, _ = _master_and_changes(_checked(_series_file(app, series_id)))
    assert _exdates(master) == {datetime(2027, 4, 1, 9, 0, tzinfo=UTC)}


def test_cancelling_the_following_ones_shortens_the_rule_without_stray_exdates(app, world, session):
    series_id = _schedule_series(
        app, world, datetime(2026, 8, 20, 10, 0), "America/Santiago", date(2026, 10, 15)
    )
    rows = _rows(session, series_id)
    _cancel(app, rows[1].id)  # 27 August only
    _cancel(app, rows[5].id, Scope.FOLLOWING)  # 24 September and after
    calendar = _checked(_series_file(app, series_id))
    master, changes = _master_and_changes(calendar)
    assert changes == []
    # The rule now ends before 24 September 10:00 (13:00Z); the rows after it stay cancelled.
    assert master["RRULE"]["UNTIL"][0] < datetime(2026, 9, 24, 13, 0, tzinfo=UTC)
    assert _exdates(master) == {datetime(2026, 8, 27, 14, 0, tzinfo=UTC)}
    assert _exdates(master) <= _rule_instants(master)
    expected = [m.starts_at for m in _rows(session, series_id) if not m.is_cancelled]
    assert _expanded_starts(calendar) == expected
    assert len(expected) == 4  # 20 August, 3, 10 and 17 September


def test_cancelling_the_whole_series_cancels_its_rule(app, world, session):
    series_id = _schedule_series(
        app, world, datetime(2026, 8, 20, 10, 0), "America/Santiago", date(2026, 9, 10)
    )
    _cancel(app, _rows(session, series_id)[0].id, Scope.FOLLOWING)
    calendar = _checked(_series_file(app, series_id, method="CANCEL"))
    [event] = calendar.walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    assert "RRULE" in event and "RECURRENCE-ID" not in event and "EXDATE" not in event
    assert event["SEQUENCE"] == 1


def test_a_downloaded_series_is_published_without_attendees(app, world, session):
    series_id = _schedule_series(
        app, world, datetime(2026, 8, 20, 10, 0), "America/Santiago", date(2026, 9, 10)
    )
    _change_occurrence(app, _rows(session, series_id)[1].id, datetime(2026, 8, 28, 10, 0))
    calendar = _checked(_series_file(app, series_id, method="PUBLISH", language="es"))
    assert str(calendar["METHOD"]) == "PUBLISH"
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    assert {str(e["UID"]) for e in events} == {session.get(MeetingSeries, series_id).uid}
    assert all("ATTENDEE" not in e and "ORGANIZER" in e for e in events)
    master, _ = _master_and_changes(calendar)
    assert str(master["SUMMARY"]) == "Ejercicio de respuesta a incidentes"


def test_a_change_keeps_the_uid_and_raises_sequence_and_dtstamp(app, world, session):
    series_id = _schedule_series(
        app, world, datetime(2026, 8, 20, 10, 0), "America/Santiago", date(2026, 9, 10)
    )
    with time_machine.travel(datetime(2026, 8, 1, 12, 0, tzinfo=UTC), tick=False):
        before = _checked(_series_file(app, series_id))
    _change_occurrence(app, _rows(session, series_id)[1].id, datetime(2026, 8, 27, 11, 0))
    with time_machine.travel(datetime(2026, 8, 1, 12, 5, tzinfo=UTC), tick=False):
        after = _checked(_series_file(app, series_id))
    old, _ = _master_and_changes(before)
    new, _ = _master_and_changes(after)
    assert str(new["UID"]) == str(old["UID"])
    assert new["SEQUENCE"] == old["SEQUENCE"] + 1
    assert new["DTSTAMP"].dt > old["DTSTAMP"].dt
    assert new["DTSTAMP"].dt == datetime(2026, 8, 1, 12, 5, tzinfo=UTC)


# One-off meetings -------------------------------------------------------------------------


def _one_off(session, world, **fields) -> Meeting:
    meeting = factories.make_meeting(
        session,
        world.group,
        datetime(2026, 9, 3, 14, 0, tzinfo=UTC),
        hours=1.5,
        organiser_id=world.coordinator_cl.id,
        description_md=fields.pop("description_md", "Agree the **exercise** plan."),
        place="Ministerio del Interior",
        **fields,
    )
    session.commit()
    return meeting


def test_a_one_off_invitation_is_in_utc_and_asks_the_attendee(app, world, session):
    meeting = _one_off(session, world)
    javiera = session.get(User, world.member_cl.id)
    calendar = _checked(meeting_calendar(meeting, method="REQUEST", attendee=javiera, **ORGANISER))
    assert str(calendar["METHOD"]) == "REQUEST"
    assert calendar.walk("VTIMEZONE") == []
    [event] = calendar.walk("VEVENT")
    assert event["DTSTART"].to_ical() == b"20260903T140000Z"
    assert event["DTEND"].to_ical() == b"20260903T153000Z"
    assert str(event["UID"]) == meeting.uid
    assert event["SEQUENCE"] == 0
    assert str(event["SUMMARY"]) == "Reunión del grupo de trabajo"  # Javiera reads Spanish
    assert str(event["ORGANIZER"]) == "mailto:portal@demo.portal"
    assert event["ORGANIZER"].params["CN"] == "Coordinación Chile"
    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:member.cl@example.org"
    assert attendee.params["RSVP"] == "TRUE"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    assert attendee.params["CN"] == "Javiera Soto"
    assert str(event["DESCRIPTION"]).startswith("TLP:AMBER\n\nAgree the exercise plan.")
    assert str(event["LOCATION"]) == "Ministerio del Interior"
    assert event["DTSTAMP"].dt.tzinfo is not None


def test_a_one_off_cancellation_and_download(app, world, session):
    meeting = _one_off(session, world, video_url="https://meet.example.org/x")
    emily = session.get(User, world.member_gb.id)
    cancel = _checked(meeting_calendar(meeting, method="CANCEL", attendee=emily, **ORGANISER))
    [event] = cancel.walk("VEVENT")
    assert str(cancel["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["ATTENDEE"]) == "mailto:member.gb@example.org"
    assert str(event["SUMMARY"]) == "Working group meeting"
    published = _checked(meeting_calendar(meeting, method="PUBLISH", attendee=None, **ORGANISER))
    [event] = published.walk("VEVENT")
    assert str(published["METHOD"]) == "PUBLISH"
    assert "ATTENDEE" not in event
    assert str(event["URL"]) == "https://meet.example.org/x"
    assert "https://meet.example.org/x" in str(event["DESCRIPTION"])


def test_tlp_red_text_never_reaches_a_calendar(app, world, session):
    meeting = _one_off(session, world, tlp=TLP.RED, description_md="Compromised host 10.1.2.3")
    text = meeting_calendar(meeting, method="PUBLISH", attendee=None, **ORGANISER)
    assert "10.1.2.3" not in text
    [event] = _checked(text).walk("VEVENT")
    assert str(event["DESCRIPTION"]) == "TLP:RED: see the portal"
    assert str(event["CLASS"]) == "PRIVATE"
    feed = personal_feed([meeting], calendar_name="Meetings")
    assert "10.1.2.3" not in feed


def test_an_occurrence_is_refused_as_a_one_off(app, world, session):
    series_id = _schedule_series(
        app, world, datetime(2026, 8, 20, 10, 0), "America/Santiago", date(2026, 9, 10)
    )
    occurrence = _rows(session, series_id)[0]
    with pytest.raises(ValueError, match="series_calendar"):
        meeting_calendar(occurrence, method="REQUEST", attendee=None, **ORGANISER)
    with pytest.raises(ValueError, match="method"):
        series_calendar(occurrence.series, method="REPLY", attendee=None, **ORGANISER)


# Personal feed ----------------------------------------------------------------------------


def test_a_feed_is_the_same_bytes_on_every_fetch(app, world, session):
    one_off = _one_off(session, world)
    series_id = _schedule_series(
        app, world, datetime(2026, 8, 20, 10, 0), "America/Santiago", date(2026, 9, 10)
    )
    rows = _rows(session, series_id)
    _cancel(app, rows[1].id)
    session.expire_all()
    meetings = [session.get(Meeting, one_off.id), *_rows(session, series_id)]

    with time_machine.travel(datetime(2026, 8, 1, 12, 0, tzinfo=UTC), tick=False):
        first = personal_feed(meetings, calendar_name="Reuniones CL–UK", language="es")
    with time_machine.travel(datetime(2026, 8, 2, 12, 0, tzinfo=UTC), tick=False):
        second = personal_feed(
            list(reversed(meetings)), calendar_name="Reuniones CL–UK", language="es"
        )
    assert first == second

    calendar = _checked(first)
    assert "METHOD" not in calendar
    assert str(calendar["NAME"]) == "Reuniones CL–UK"
    assert str(calendar["X-WR-CALNAME"]) == "Reuniones CL–UK"
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in first
    assert "X-PUBLISHED-TTL:PT1H\r\n" in first
    events = calendar.walk("VEVENT")
    shown = [m for m in meetings if not m.is_cancelled]
    assert len(events) == len(shown) == 4  # the cancelled occurrence is left out
    assert len({str(e["UID"]) for e in events}) == 4
    assert sorted(e["DTSTART"].dt for e in events) == sorted(m.starts_at for m in shown)
    for event in events:
        assert "RECURRENCE-ID" not in event and "ATTENDEE" not in event
        assert event["DTSTAMP"].dt == event["LAST-MODIFIED"].dt
    series = session.get(MeetingSeries, series_id)
    assert f"UID:{series.uid}-20260820T100000\r\n" in first
    assert "SUMMARY:Ejercicio de respuesta a incidentes" in first
    assert _expanded_starts(calendar) == sorted(m.starts_at for m in shown)


def test_a_feed_changes_when_a_meeting_does(app, world, session):
    meeting = _one_off(session, world)
    before = personal_feed([meeting], calendar_name="Meetings")
    with app.test_request_context():
        stored = db.session.get(Meeting, meeting.id)
        details = _details(datetime(2026, 9, 3, 11, 0), "America/Santiago")
        scheduling.update_meeting(db.session, stored.organiser, stored, details)
        db.session.commit()
    session.expire_all()
    after = personal_feed([session.get(Meeting, meeting.id)], calendar_name="Meetings")
    assert after != before
    [event] = _checked(after).walk("VEVENT")
    assert event["SEQUENCE"] == 1
    assert event["DTSTART"].dt == datetime(2026, 9, 3, 15, 0, tzinfo=UTC)


# VTIMEZONE against zoneinfo ---------------------------------------------------------------

ZONES = ["America/Santiago", "Europe/London", "Europe/Madrid", "America/Bogota"]


def _vtimezone_as_read(zone: str, start: datetime, end: datetime) -> Timezone:
    """The VTIMEZONE as a client gets it: written out and parsed again."""
    return Timezone.from_ical(vtimezone(zone, start, end).to_ical())


def _weekly_instants(zone: str, first: date, last: date) -> list[datetime]:
    """Weekly wall-clock times at a morning and a late hour, as a series would hold them."""
    tz = ZoneInfo(zone)
    found, day = [], first
    while day <= last:
        for hour, minute in ((10, 0), (23, 30)):
            found.append(datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz))
        day += timedelta(days=7)
    return [moment.astimezone(UTC) for moment in found]


def _around_transitions(zone: str, first_year: int, last_year: int) -> list[datetime]:
    moments = []
    for transition in zone_transitions(zone, first_year, last_year):
        for seconds in (-3600, -1, 0, 1, 3600):
            moments.append(transition.at + timedelta(seconds=seconds))
    return moments


def _offsets_by_rules(vtimezone_component):
    """An independent reading of the VTIMEZONE: expand each observance with dateutil."""
    changes = []
    for observance in vtimezone_component.subcomponents:
        offset_from = observance["TZOFFSETFROM"].td
        offset_to = observance["TZOFFSETTO"].td
        start = observance["DTSTART"].dt
        if "RRULE" in observance:
            # DTSTART is a wall-clock time in the offset before the change (RFC 5545 3.6.5).
            dtstart = start.replace(tzinfo=tzoffset(None, offset_from))
            rule = rrulestr(observance["RRULE"].to_ical().decode(), dtstart=dtstart)
            locals_ = [m.replace(tzinfo=None) for m in rule.between(dtstart, FAR_FUTURE, inc=True)]
        else:
            locals_ = [start]
        changes.extend(((m - offset_from).replace(tzinfo=UTC), offset_to) for m in locals_)
    changes.sort()

    def offset_at(instant: datetime) -> timedelta:
        in_force = [offset for at, offset in changes if at <= instant]
        return in_force[-1]

    return offset_at


def _assert_offsets_match_zoneinfo(component, instants, zone: str) -> None:
    from_icalendar = component.to_tz(lookup_tzid=False)
    by_rules = _offsets_by_rules(component)
    tz = ZoneInfo(zone)
    for instant in instants:
        expected = instant.astimezone(tz).utcoffset()
        assert instant.astimezone(from_icalendar).utcoffset() == expected, instant
        assert by_rules(instant) == expected, instant


@pytest.mark.parametrize("zone", ZONES)
def test_the_vtimezone_gives_zoneinfos_offsets_2026_to_2031(zone):
    component = _vtimezone_as_read(zone, datetime(2026, 1, 1), datetime(2031, 12, 31))
    instants = _weekly_instants(zone, date(2026, 1, 1), date(2031, 12, 31))
    instants += _around_transitions(zone, 2026, 2031)
    _assert_offsets_match_zoneinfo(component, instants, zone)


def test_chile_years_that_are_not_the_first_sunday():
    # Chile changes on the first Sunday on or after 2 April / 2 September: 8 April 2029
    # and 8 September 2030, where "1SU" would say 1 April and 1 September.
    component = _vtimezone_as_read("America/Santiago", datetime(2029, 3, 1), datetime(2030, 10, 1))
    read = _offsets_by_rules(component)
    to_tz = component.to_tz(lookup_tzid=False)
    for instant, hours in [
        (datetime(2029, 4, 4, 15, 0, tzinfo=UTC), -3),
        (datetime(2029, 4, 8, 2, 59, 59, tzinfo=UTC), -3),
        (datetime(2029, 4, 8, 3, 0, tzinfo=UTC), -4),
        (datetime(2030, 9, 4, 15, 0, tzinfo=UTC), -4),
        (datetime(2030, 9, 8, 3, 59, 59, tzinfo=UTC), -4),
        (datetime(2030, 9, 8, 4, 0, tzinfo=UTC), -3),
        (datetime(2031, 4, 6, 3, 0, tzinfo=UTC), -4),
    ]:
        assert read(instant) == timedelta(hours=hours), instant
        assert instant.astimezone(to_tz).utcoffset() == timedelta(hours=hours), instant


@pytest.mark.parametrize("zone", [*ZONES, "America/Coyhaique"])
def test_the_vtimezone_uses_only_rules_outlook_reads(zone):
    component = _vtimezone_as_read(zone, datetime(2026, 1, 1), datetime(2031, 12, 31))
    assert str(component["TZID"]) == zone
    for observance in component.subcomponents:
        assert "RDATE" not in observance
        if "RRULE" in observance:
            rule = observance["RRULE"]
            assert rule["FREQ"] == ["YEARLY"]
            assert len(rule["BYMONTH"]) == 1
            by_day, by_month_day = rule.get("BYDAY", []), rule.get("BYMONTHDAY", [])
            assert len(by_day) + len(by_month_day) == 1
            assert set(rule) <= {"FREQ", "BYMONTH", "BYDAY", "BYMONTHDAY", "UNTIL"}


def test_a_zone_without_daylight_time_has_one_standard_observance():
    component = _vtimezone_as_read("America/Bogota", datetime(2026, 1, 1), datetime(2031, 12, 31))
    [observance] = component.subcomponents
    assert observance.name == "STANDARD"
    assert observance["TZOFFSETFROM"].td == observance["TZOFFSETTO"].td == timedelta(hours=-5)
    assert "RRULE" not in observance


def test_europe_keeps_one_rule_per_observance():
    component = _vtimezone_as_read("Europe/London", datetime(2027, 1, 1), datetime(2027, 12, 31))
    rules = {o.name: o["RRULE"].to_ical().decode() for o in component.subcomponents}
    assert rules == {
        "DAYLIGHT": "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
        "STANDARD": "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
    }
    assert len(component.subcomponents) == 2


def test_a_feed_of_utc_events_needs_no_vtimezone(app, world, session):
    meeting = _one_off(session, world)
    text = personal_feed([meeting], calendar_name="Meetings")
    assert "TZID" not in text and "VTIMEZONE" not in text

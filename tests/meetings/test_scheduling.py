"""Scheduling through the pages: one-off meetings, DST questions, invitations queued."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from portal.meetings.models import Meeting, MeetingSeries
from portal.notifications.models import OutboxMessage
from tests.conftest import post
from tests.helpers.notifications import worker_first_step

# The meetings here are dated from 2026 on (see tests/conftest.py).
pytestmark = pytest.mark.usefixtures("clock_before_2026")


def _form(**overrides):
    data = {
        "title_en": "Quarterly review",
        "title_es": "Revisión trimestral",
        "description_md": "Review **progress**.",
        "start_local": "2026-12-03T10:00",
        "end_local": "2026-12-03T11:30",
        "timezone": "America/Santiago",
        "place": "Ministerio del Interior",
        "video_url": "https://meet.example.org/abc",
        "tlp": "amber",
        "repeat": "none",
        "interval": "1",
    }
    data.update(overrides)
    return data


def _schedule(browser, world, **overrides):
    path = f"/working-groups/{world.group.id}/meetings/new"
    response = post(browser, path, _form(**overrides), token_from=path)
    worker_first_step(browser.application)  # the invitations are mailed
    return response


def _count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_coordinator_schedules_a_meeting_and_members_are_invited(login_as, world, session):
    browser = login_as(world.coordinator_cl)
    response = _schedule(browser, world)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    meeting = session.scalars(select(Meeting)).one()
    # 10:00 in Santiago on 3 December 2026 (summer time, UTC-3) is 13:00 UTC.
    assert meeting.starts_at == datetime(2026, 12, 3, 13, 0, tzinfo=UTC)
    assert meeting.ends_at == datetime(2026, 12, 3, 14, 30, tzinfo=UTC)
    invited = {i.user_id for i in meeting.invitees}
    assert invited == {
        world.coordinator_cl.id,
        world.coordinator_gb.id,
        world.member_cl.id,
        world.member_gb.id,
    }
    mails = session.scalars(select(OutboxMessage)).all()
    assert {m.recipient for m in mails} == {
        world.coordinator_cl.email,
        world.coordinator_gb.email,
        world.member_cl.email,
        world.member_gb.email,
    }
    assert all(m.ics_method == "REQUEST" for m in mails)
    spanish = next(m for m in mails if m.recipient == world.member_cl.email)
    english = next(m for m in mails if m.recipient == world.member_gb.email)
    assert spanish.subject == "[TLP:AMBER] Invitación: Revisión trimestral"
    assert english.subject == "[TLP:AMBER] Invitation: Quarterly review"
    # Each reader sees the time in their own zone and on each party's clock.
    assert "13:00 London (GMT)" in english.body_text
    assert "10:00 Santiago (-03)" in english.body_text


def test_meeting_page_shows_both_parties_clocks(login_as, world, session):
    _schedule(login_as(world.coordinator_cl), world)
    meeting = session.scalars(select(Meeting)).one()
    page = login_as(world.member_gb).get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "10:00 Santiago (-03) · 13:00 London (GMT)" in page
    assert "Review <strong>progress</strong>." in page
    assert "TLP:AMBER" in page


def test_a_time_skipped_by_daylight_saving_is_refused(login_as, world, session):
    browser = login_as(world.coordinator_gb)  # reads English
    response = _schedule(
        browser, world, start_local="2026-09-06T00:30", end_local="2026-09-06T01:30"
    )
    assert response.status_code == 422
    assert "does not exist in America/Santiago" in response.get_data(as_text=True)
    assert _count(session, Meeting) == 0
    assert _count(session, OutboxMessage) == 0


def test_a_time_that_happens_twice_is_asked_about(login_as, world, session):
    browser = login_as(world.coordinator_gb)  # reads English
    ambiguous = {"start_local": "2026-04-04T23:30", "end_local": "2026-04-05T00:15"}
    response = _schedule(browser, world, **ambiguous)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "happens twice in America/Santiago" in page
    assert "UTC−03:00" in page and "UTC−04:00" in page
    assert _count(session, Meeting) == 0
    response = _schedule(browser, world, start_fold="1", **ambiguous)
    assert response.status_code == 302
    meeting = session.scalars(select(Meeting)).one()
    # The second 23:30 is at UTC-4: 03:30 UTC on 5 April.
    assert meeting.starts_at == datetime(2026, 4, 5, 3, 30, tzinfo=UTC)


def test_an_end_before_the_start_is_refused(login_as, world, session):
    english = login_as(world.coordinator_gb)
    response = _schedule(english, world, end_local="2026-12-03T09:00")
    assert response.status_code == 422
    assert "The meeting must end after it starts." in response.get_data(as_text=True)
    assert _count(session, Meeting) == 0


def test_a_weekly_series_keeps_the_local_time_across_the_change(login_as, world, session):
    browser = login_as(world.coordinator_gb)
    response = _schedule(
        browser,
        world,
        timezone="Europe/London",
        start_local="2027-03-18T10:00",
        end_local="2027-03-18T11:00",
        repeat="weekly",
        count="3",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    starts = [m.starts_at for m in session.scalars(select(Meeting).order_by(Meeting.starts_at))]
    # London changes to summer time on 28 March 2027: 10:00 GMT, then 10:00 BST.
    assert starts == [
        datetime(2027, 3, 18, 10, 0, tzinfo=UTC),
        datetime(2027, 3, 25, 10, 0, tzinfo=UTC),
        datetime(2027, 4, 1, 9, 0, tzinfo=UTC),
    ]
    assert _count(session, MeetingSeries) == 1
    # One mail per person for the whole series.
    assert _count(session, OutboxMessage) == 4


def test_members_and_observers_cannot_schedule(login_as, world, session):
    for person in (world.member_cl, world.observer_gb):
        browser = login_as(person)
        path = f"/working-groups/{world.group.id}/meetings/new"
        assert browser.get(path).status_code == 403
    assert _count(session, Meeting) == 0


def test_bad_meeting_input_is_refused_with_a_message_and_writes_nothing(login_as, world, session):
    browser = login_as(world.coordinator_gb)  # reads English
    cases = [
        ({"title_en": "", "title_es": ""}, "Write the title in English, in Spanish or in both."),
        ({"title_es": "x" * 10_000}, "Use at most 300 characters."),
        ({"title_en": "Line\r\nBcc: x@example.org"}, "Use a single line of plain text."),
        ({"timezone": "Mars/Olympus"}, "Choose a time zone from the list."),
        ({"start_local": "tomorrow"}, "Enter the date and time as YYYY-MM-DD HH:MM."),
        ({"repeat": "weekly", "until_on": "soon"}, "Enter the date as YYYY-MM-DD."),
        ({"start_local": "1900-01-01T10:00"}, "Enter a date between 1945 and 2200."),
        ({"video_url": "javascript:alert(1)"}, "Enter a web address starting with https://."),
        ({"tlp": "TLP:PURPLE"}, "Choose one of the options in the list."),
        ({"repeat": "weekly"}, "A series needs an end: give a date or a number of meetings."),
        ({"repeat": "weekly", "count": "500"}, "Enter a number from 2 to 200."),
        ({"repeat": "weekly", "interval": "-1", "count": "3"}, "Enter a number from 1 to 12."),
        ({"repeat": "weekly", "until_on": "2026-11-01"}, "The series cannot end before it starts."),
        ({"repeat": "hourly", "count": "3"}, "Choose one of the options in the list."),
    ]
    for overrides, message in cases:
        response = _schedule(browser, world, **overrides)
        assert response.status_code == 422, overrides
        assert message in response.get_data(as_text=True), overrides
    assert _count(session, Meeting) == 0
    assert _count(session, OutboxMessage) == 0

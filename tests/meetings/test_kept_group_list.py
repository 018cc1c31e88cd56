"""A group's meetings list, kept under the rows it shows (portal/meetings/views.py): a change,
a meeting that ends, another reader's zone or controls give another rendering at once."""

from datetime import timedelta

import time_machine

from portal.core.db import utcnow
from portal.meetings.models import Meeting
from tests.factories import make_meeting


def _list(browser, group_id: int, query: str = "") -> str:
    response = browser.get(f"/working-groups/{group_id}/meetings{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_renamed_meeting_shows_at_once(world, session, login_as):
    meeting = make_meeting(session, world.group, utcnow() + timedelta(days=2), title_en="Review")
    session.commit()
    browser = login_as(world.member_gb)
    assert "Review" in _list(browser, world.group.id)
    assert "Review" in _list(browser, world.group.id)  # the kept list
    session.get(Meeting, meeting.id).title_en = "Annual review"
    session.commit()
    assert "Annual review" in _list(browser, world.group.id)


def test_a_meeting_that_ends_moves_to_the_past(world, session, login_as):
    start = utcnow().replace(microsecond=0) + timedelta(days=1)
    make_meeting(session, world.group, start, hours=1, title_en="Short call")
    session.commit()
    with time_machine.travel(start + timedelta(minutes=50), tick=False):
        browser = login_as(world.member_gb)
        assert "Short call" in _list(browser, world.group.id)
        assert "Short call" not in _list(browser, world.group.id, "?when=past")
    with time_machine.travel(start + timedelta(minutes=70), tick=False):
        assert "Short call" not in _list(browser, world.group.id)
        assert "Short call" in _list(browser, world.group.id, "?when=past")


def test_each_reader_gets_their_zone_and_controls(world, session, login_as):
    make_meeting(
        session, world.group, utcnow() + timedelta(days=2), title_en="Only English", title_es=""
    )
    world.coordinator_gb.timezone, world.member_gb.timezone = "Asia/Tokyo", "Europe/London"
    session.commit()
    coordinator = _list(login_as(world.coordinator_gb), world.group.id)
    member = _list(login_as(world.member_gb), world.group.id)
    assert "Translation missing" in coordinator and "Schedule a meeting" in coordinator
    assert "Translation missing" not in member and "Schedule a meeting" not in member
    assert "(Asia/Tokyo)" in coordinator and "(Europe/London)" not in coordinator
    assert "(Europe/London)" in member and "(Asia/Tokyo)" not in member

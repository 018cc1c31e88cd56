"""A group's list of polls, each page kept under what it shows: a new poll, a renamed one and
one whose answers have closed are on the next view."""

from datetime import timedelta

import time_machine

from portal.polls.models import Poll
from tests.helpers.polls import make_poll


def _list(browser, world) -> str:
    response = browser.get(f"/working-groups/{world.group.id}/polls")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_kept_list_shows_each_change_at_once(login_as, world, session):
    poll = make_poll(session, world, title_en="Exercise planning", expires_in_days=1)
    session.commit()
    member, coordinator = login_as(world.member_gb), login_as(world.coordinator_gb)
    for browser in (member, coordinator, member):
        page = _list(browser, world)
        assert "Exercise planning" in page and "Expired" not in page
    session.get(Poll, poll.id).title_en = "Tabletop planning"
    make_poll(session, world, title_en="Workshop dates")
    session.commit()
    page = _list(member, world)
    assert "Tabletop planning" in page and "Workshop dates" in page
    with time_machine.travel(poll.expires_at + timedelta(minutes=1)):
        page = _list(login_as(world.member_gb), world)
    assert page.count("Expired") == 1  # the poll whose answers closed, not the other

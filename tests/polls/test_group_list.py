"""A group's list of polls, each page kept whole for its reader under the group pages' counter
and, beneath, under what it shows: a new poll, a renamed one and one whose answers have closed
are on the next view."""

from datetime import timedelta

import time_machine

from portal.polls.models import Poll
from tests.factories import leave_group
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


def test_a_poll_closing_within_the_kept_minute_shows_expired_from_then(login_as, world, session):
    """Kept to the minute, the list is made anew once one of its open polls closes: 20
    seconds before, it is open; one second after, in the same minute, it has expired."""
    poll = make_poll(session, world, title_en="Exercise planning", expires_in_days=1)
    closes = poll.expires_at.replace(second=30, microsecond=0)
    poll.expires_at = closes
    session.commit()
    with time_machine.travel(closes - timedelta(seconds=20), tick=False):
        browser = login_as(world.member_gb)
        _list(browser, world)  # the first page after logging in is not kept (the login is written)
        assert "Expired" not in _list(browser, world)
    with time_machine.travel(closes + timedelta(seconds=1), tick=False):
        assert "Expired" in _list(browser, world)


def test_each_reader_gets_their_own_list_and_one_who_leaves_is_refused_at_once(
    login_as, world, session
):
    make_poll(session, world, title_en="Exercise planning")
    session.commit()
    new_poll = f"/working-groups/{world.group.id}/polls/new"
    member, coordinator = login_as(world.member_gb), login_as(world.coordinator_gb)
    for _ in range(2):
        assert new_poll not in _list(member, world)
        assert new_poll in _list(coordinator, world)
    leave_group(session, world.group, world.member_gb)
    session.commit()
    assert member.get(f"/working-groups/{world.group.id}/polls").status_code in (403, 404)

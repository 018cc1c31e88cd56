"""A group's meetings list, kept under the rows it shows and kept whole for each reader under
the counter of the group's pages (portal/meetings/views.py, portal/mous/kept_pages.py): a
change, a meeting that ends, another reader's zone or controls give another rendering at
once, and a kept list is found in one short statement."""

import re
from datetime import timedelta
from functools import partial

import pytest
import time_machine

from portal.core.db import utcnow
from portal.main.kept_pages import GENERATION
from portal.meetings.models import AgendaItem, Meeting
from portal.mous.kept_pages import PAGES
from portal.mous.models import Membership
from tests.factories import make_meeting
from tests.helpers.statements import assert_kept, count_statements, tables_raising, tables_read

# The navigation bar's language form carries a token signed with the second.
CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="[^"]*"')
QUERIES = ("", "?when=past", "?missing=1", "?when=past&missing=1&page=2")


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


def _masked(browser, group_id: int, query: str = "") -> str:
    return CSRF.sub("", _list(browser, group_id, query))


@pytest.mark.parametrize("reader", ["member_gb", "coordinator_gb"])
def test_a_kept_list_is_found_in_one_statement_and_is_the_list_made_anew(
    app, world, session, login_as, reader
):
    make_meeting(session, world.group, utcnow() + timedelta(days=2), title_en="Sync")
    make_meeting(session, world.group, utcnow() - timedelta(days=2), title_en="Retro")
    session.commit()
    browser = login_as(getattr(world, reader))
    _list(browser, world.group.id)  # the first page after logging in is not kept
    for query in QUERIES:
        assert_kept(app, partial(_masked, browser, world.group.id, query), PAGES.name)
    assert "Sync" in _list(browser, world.group.id)
    assert "Retro" in _list(browser, world.group.id, "?when=past")


@pytest.mark.parametrize("reader", ["member_gb", "coordinator_gb"])
def test_every_table_the_list_reads_raises_its_counter(app, world, session, login_as, reader):
    make_meeting(session, world.group, utcnow() + timedelta(days=2), title_es="")
    session.commit()
    browser = login_as(getattr(world, reader))
    for query in QUERIES:
        app.extensions.pop(PAGES.name, None)
        with count_statements(app) as statements:
            _list(browser, world.group.id, query)
        read = tables_read(statements)
        assert "meetings" in read, query
        assert read - tables_raising(GENERATION) - {"user_sessions", "kept_generations"} == set()


def test_changes_through_another_session_show_at_once(world, session, login_as):
    meeting = make_meeting(session, world.group, utcnow() + timedelta(days=2), title_en="Sync")
    session.commit()
    coordinator = login_as(world.coordinator_gb)
    assert "Translation missing" not in _list(coordinator, world.group.id)
    assert "Sync" not in _list(coordinator, world.group.id, "?missing=1")
    session.add(AgendaItem(meeting=meeting, position=1, title_en="Only English", title_es=""))
    session.commit()
    assert "Sync" in _list(coordinator, world.group.id, "?missing=1")
    world.group.name_en = "Incident response, renamed"
    session.get(Meeting, meeting.id).status = "cancelled"
    session.commit()
    page = _list(coordinator, world.group.id)
    assert "Incident response, renamed" in page and "Cancelled" in page


def test_two_readers_of_one_party_and_role_never_get_each_others_list(world, session, login_as):
    make_meeting(
        session,
        world.group,
        utcnow() + timedelta(days=2),
        title_en="Members only",
        title_es="Members only",
    )
    session.commit()
    member, outsider = login_as(world.member_cl), login_as(world.member_cl_outside_group)
    path = f"/working-groups/{world.group.id}/meetings"
    for _ in range(2):
        assert "Members only" in _list(member, world.group.id)
        assert outsider.get(path).status_code == 404
    session.add(Membership(working_group=world.group, user=world.member_cl_outside_group))
    session.commit()
    assert "Members only" in _list(outsider, world.group.id)

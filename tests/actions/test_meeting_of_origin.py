"""The action form picks the meeting an item came from in a list: the group's recent meetings
the reader may see, newest first, with date and zone; anything else is refused, unwritten."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from portal.actions.models import ActionItem
from portal.core.db import utcnow
from portal.meetings.models import MeetingStatus
from tests.factories import make_action, make_meeting
from tests.helpers.bad_input import check_post

OPTION = re.compile(r'<option (?:selected )?value="(\d+)"[^>]*>([^<]*)</option>')


@pytest.fixture
def meetings(world, session):
    """Two past meetings of the group, one to come, one cancelled, one of another group."""
    now = utcnow()
    made = {
        "older": make_meeting(session, world.group, now - timedelta(days=40), title_en="Kick-off"),
        "newer": make_meeting(session, world.group, datetime(2026, 3, 10, 13, tzinfo=UTC)),
        "to come": make_meeting(session, world.group, now + timedelta(days=5)),
        "cancelled": make_meeting(
            session, world.group, now - timedelta(days=2), status=MeetingStatus.CANCELLED
        ),
        "other group": make_meeting(session, world.group_cl_co, now - timedelta(days=1)),
    }
    made["newer"].starts_at = now - timedelta(days=3)
    session.commit()
    return made


def _offered(page: str) -> list[tuple[str, str]]:
    select = page.split('name="meeting_id"')[1].split("</select>")[0]
    return OPTION.findall(select)


def _valid_item(world, meeting_id) -> dict:
    return {
        "title": "Share the taxonomy",
        "owner_ids": [world.member_cl.id],
        "party_id": world.cl.id,
        "due_on": (date.today() + timedelta(14)).isoformat(),
        "priority": "normal",
        "line_id": "0",
        "meeting_id": meeting_id,
    }


def test_the_form_offers_the_groups_recent_meetings_newest_first(world, meetings, login_as):
    page = login_as(world.member_gb).get(f"/working-groups/{world.group.id}/actions/new")
    offered = _offered(page.get_data(as_text=True))
    assert [value for value, _ in offered] == [
        "0",
        str(meetings["newer"].id),
        str(meetings["older"].id),
    ]
    assert offered[0][1] == "None"
    assert "(Europe/London)" in offered[1][1] and offered[2][1].endswith("· Kick-off")


def test_a_new_item_from_a_meeting_starts_on_it_in_spanish_too(world, meetings, login_as):
    meeting = meetings["to come"]
    page = login_as(world.member_cl).get(f"/meetings/{meeting.id}/actions/new")
    text = page.get_data(as_text=True)
    assert f'<option selected value="{meeting.id}">' in text
    assert "(America/Santiago) · Reunión del grupo de trabajo" in text
    assert '<option value="0">Ninguna</option>' in text


def test_the_chosen_meeting_is_saved_and_can_be_changed(world, meetings, session, login_as):
    browser = login_as(world.member_gb)
    path = f"/working-groups/{world.group.id}/actions/new"
    check_post(session, browser, path, path, _valid_item(world, meetings["older"].id), [])
    item = session.query(ActionItem).filter_by(title="Share the taxonomy").one()
    assert item.meeting_id == meetings["older"].id
    edit = f"/actions/{item.id}/edit"
    check_post(session, browser, edit, edit, _valid_item(world, 0), [])
    session.expire_all()
    assert session.get(ActionItem, item.id).meeting_id is None


def test_a_meeting_of_another_group_or_out_of_sight_is_refused_and_nothing_written(
    world, meetings, session, login_as
):
    item = make_action(session, world.group, [world.member_gb], date.today() + timedelta(9))
    session.commit()
    hidden = "Choose one of the group's meetings in the list."
    cases = [
        ("another group's", {"meeting_id": meetings["other group"].id}, hidden),
        ("a meeting that is not there", {"meeting_id": 999999}, hidden),
        ("not a number", {"meeting_id": "the last one"}, "Choose one of the options in the list."),
    ]
    # The administrator sees every meeting: another group's is named as such.
    world.admin.language = "en"
    session.commit()
    admin = login_as(world.admin)
    other = [("another group's", cases[0][1], "The meeting belongs to another working group.")]
    for browser, path, refused in (
        (login_as(world.member_gb), f"/working-groups/{world.group.id}/actions/new", cases),
        (login_as(world.coordinator_gb), f"/actions/{item.id}/edit", cases),
        (admin, f"/actions/{item.id}/edit", other),
    ):
        check_post(session, browser, path, path, _valid_item(world, 0), refused)

"""The buttons on the one stored reading page follow the rules of the pages they lead to.

The page reads what decides them (whether the viewer reads the MoU, co-chairs the group,
whether their party approved) in its one statement; the minutes and management pages
decide from the loaded meeting. Both must agree for everybody, at every step of the minutes.
"""

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from portal.meetings import access
from portal.meetings.minutes_reading import minutes_buttons
from portal.meetings.models import Minutes, MinutesState
from portal.meetings.queries import load_meeting
from portal.mous.models import Membership
from tests.factories import make_meeting
from tests.helpers.minutes import approve, circulated, write
from tests.helpers.statements import counted_queries

STARTS = datetime(2030, 5, 14, 14, tzinfo=UTC)
READERS = ("admin", "coordinator_cl", "coordinator_gb", "member_cl", "member_gb", "observer_gb")
BUTTONS = {
    "manage": '/manage">Manage meeting</a>',
    "can_edit": ">Edit the minutes</a>",
    "can_circulate": "/minutes/circulate",
    "can_reopen": "/minutes/reopen",
    "can_approve": "/minutes/approve",
}


def _shown(text: str) -> dict:
    return {name: marker in text for name, marker in BUTTONS.items()}


def _decided(person, meeting) -> dict:
    buttons = minutes_buttons(person, meeting)
    decided = {name: buttons[name] for name in BUTTONS if name != "manage"}
    return {"manage": access.can_manage_meetings(person, meeting.working_group), **decided}


def test_everyones_buttons_are_those_the_rules_give_at_each_step_of_the_minutes(
    login_as, world, session
):
    # A member co-chairing the group: they have buttons but do not manage the meeting.
    membership = session.scalar(select(Membership).filter_by(user_id=world.member_gb.id))
    membership.is_co_chair = True
    for name in READERS:
        getattr(world, name).language = "en"
    meeting = make_meeting(session, world.group, STARTS, invitees=[world.member_gb])
    session.commit()
    browsers = {name: login_as(getattr(world, name)) for name in READERS}
    steps = {
        "no minutes": lambda: None,
        "draft": lambda: write(browsers["coordinator_cl"], meeting, "Draft."),
        "circulated": lambda: circulated(login_as, meeting, world),
        "approved by GB": lambda: approve(browsers["member_gb"], meeting),
        "approved": lambda: approve(browsers["coordinator_cl"], meeting),
    }
    seen = set()
    for step, act in steps.items():
        act()
        session.expire_all()
        loaded = load_meeting(session, meeting.id)
        for name, browser in browsers.items():
            text = browser.get(f"/meetings/{meeting.id}").get_data(as_text=True)
            shown, decided = _shown(text), _decided(getattr(world, name), loaded)
            assert shown == decided, (step, name)
            seen |= {button for button, on in shown.items() if on}
    assert seen == set(BUTTONS)  # every button was shown to someone at some step


def test_a_coordinators_reading_page_runs_as_many_statements_as_a_members(
    login_as, world, session, engine
):
    meeting = make_meeting(session, world.group, STARTS, invitees=[world.member_cl])
    session.commit()
    counts = {}
    for person in (world.member_cl, world.coordinator_gb):
        browser = login_as(person)
        browser.get(f"/meetings/{meeting.id}")
        with counted_queries(engine) as statements:
            assert browser.get(f"/meetings/{meeting.id}").status_code == 200
        counts[person.email] = len(statements)
    assert set(counts.values()) == {2}, counts  # the login's and the page's own


def test_buttons_drawn_once_lead_each_meetings_page_to_its_own_minutes(login_as, world, session):
    """The buttons are drawn once for every meeting (portal/meetings/minutes_actions.py): each
    page's lead to its own meeting, carry the reader's own form token, and a renamed party's
    co-chair reads the new name at once."""
    world.coordinator_cl.language = world.coordinator_gb.language = "en"
    first = make_meeting(session, world.group, STARTS, invitees=[world.member_cl])
    second = make_meeting(session, world.group, STARTS + timedelta(days=7))
    session.commit()
    editor = login_as(world.coordinator_cl)
    for meeting in (first, second):
        assert write(editor, meeting, "Draft.").status_code == 302
    for meeting, other in ((first, second), (second, first)):
        for path in (f"/meetings/{meeting.id}", f"/meetings/{meeting.id}/manage"):
            page = editor.get(path).get_data(as_text=True)
            assert f'action="/meetings/{meeting.id}/minutes/circulate"' in page, path
            assert f"/meetings/{other.id}/minutes" not in page, path
    # The circulate button's token is this session's: the form it sends is accepted.
    page = editor.get(f"/meetings/{second.id}").get_data(as_text=True)
    form = re.search(r'action="([^"]+/circulate)"[^>]*>\s*<input[^>]*value="([^"]+)"', page)
    response = editor.post(form.group(1), data={"csrf_token": form.group(2)})
    assert response.status_code == 302
    assert session.scalar(select(Minutes.state).where(Minutes.meeting_id == second.id)) == (
        MinutesState.CIRCULATED
    )

    approver = login_as(world.coordinator_gb)
    path = f"/meetings/{second.id}"
    assert f"Approve for {world.gb.name_en}<" in approver.get(path).get_data(as_text=True)
    world.gb.name_en = "Great Britain and Northern Ireland"
    session.commit()
    page = approver.get(path).get_data(as_text=True)
    assert "Approve for Great Britain and Northern Ireland<" in page

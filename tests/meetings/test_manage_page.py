"""Reading and managing are separate: one reading page for everyone (a coordinator's is the
stored one, plus a "Manage meeting" button), and the management page with the controls."""

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from portal.accounts.models import User
from portal.core.db import utcnow
from portal.meetings.access import can_be_invited
from portal.meetings.models import AgendaItem, MeetingPage
from tests.conftest import post
from tests.factories import make_meeting, make_user
from tests.helpers.minutes import circulated

STARTS = datetime(2030, 5, 14, 14, tzinfo=UTC)


def _meeting(session, world, starts_at=STARTS):
    invitees = [world.coordinator_cl, world.coordinator_gb, world.member_cl, world.member_gb]
    meeting = make_meeting(session, world.group, starts_at, invitees=invitees)
    meeting.agenda.append(AgendaItem(position=1, title="Welcome"))
    session.commit()
    return meeting


def test_a_coordinator_is_served_the_stored_reading_page_with_one_button(login_as, world, session):
    meeting = _meeting(session, world)
    page = f"/meetings/{meeting.id}"
    member_page = login_as(world.member_gb).get(page).get_data(as_text=True)
    assert "Manage meeting" not in member_page
    # Mark the stored page (its version and layout unchanged): whoever is served it sees the mark.
    session.expire_all()
    stored = session.scalar(
        select(MeetingPage).where(
            MeetingPage.meeting_id == meeting.id, MeetingPage.language == "en"
        )
    )
    stored.html = stored.html.replace("Welcome", "Welcome (from the store)")
    session.commit()
    coordinator_page = login_as(world.coordinator_gb).get(page).get_data(as_text=True)
    assert "Welcome (from the store)" in coordinator_page
    assert f'href="{page}/manage">Manage meeting</a>' in coordinator_page
    assert 'id="reply"' in coordinator_page  # their own reply, as anyone invited
    for control in ("Withdraw invitation", "Add to the agenda", "Cancel the meeting", "Remove"):
        assert control not in coordinator_page
    admin_page = login_as(world.admin).get(page).get_data(as_text=True)
    assert "Gestionar la reunión" in admin_page and 'id="reply"' not in admin_page  # Spanish


def test_the_management_page_has_the_controls_and_leads_back_to_itself(login_as, world, session):
    meeting = _meeting(session, world)
    manage = f"/meetings/{meeting.id}/manage"
    coordinator = login_as(world.coordinator_gb)
    text = coordinator.get(manage).get_data(as_text=True)
    for control in ("Withdraw invitation", "Add to the agenda", "Cancel the meeting", "Change"):
        assert control in text
    assert "Attendance can be recorded once the meeting has started." in text
    invite = text.split('name="invitee-user_id"')[1].split("</select>")[0]
    assert '<option selected value="">Choose…</option>' in invite
    assert invite.count(" selected") == 1
    data = {"agenda-title": "Threat briefing"}
    response = post(coordinator, f"/meetings/{meeting.id}/agenda", data, token_from=manage)
    assert response.status_code == 302 and response.location.endswith(f"{manage}#agenda")
    assert "Threat briefing" in coordinator.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    refused = post(coordinator, f"/meetings/{meeting.id}/agenda", {}, token_from=manage)
    assert refused.status_code == 422
    refused_text = refused.get_data(as_text=True)
    assert "Manage the meeting:" in refused_text and 'aria-invalid="true"' in refused_text
    assert session.scalar(select(AgendaItem).where(AgendaItem.title == "")) is None


def test_the_management_page_of_a_past_meeting_offers_what_is_still_allowed(
    login_as, world, session
):
    meeting = _meeting(session, world, starts_at=utcnow() - timedelta(hours=3))
    text = login_as(world.coordinator_cl).get(f"/meetings/{meeting.id}/manage")
    text = text.get_data(as_text=True)
    assert "Cancel the meeting" not in text and "Cancelar la reunión" not in text
    assert f'action="/meetings/{meeting.id}/attendance"' in text
    assert f'action="/meetings/{meeting.id}/minutes/circulate"' not in text  # no draft


def test_the_minutes_buttons_on_the_reading_page_fit_the_viewer(login_as, world, session):
    meeting = _meeting(session, world)
    circulated(login_as, meeting, world)
    page = f"/meetings/{meeting.id}"
    co_chair = login_as(world.coordinator_gb).get(page).get_data(as_text=True)
    assert "Approve for" in co_chair and "Edit the minutes" in co_chair
    member = login_as(world.member_gb).get(page).get_data(as_text=True)
    assert "Approve for" not in member and "Read the minutes" in member


def test_the_invitee_picker_offers_whoever_may_be_invited_and_is_not_yet(login_as, world, session):
    meeting = _meeting(session, world)  # both coordinators and two members invited
    gone = make_user(session, world.cl, name="Former Colleague", is_active=False)
    session.commit()
    text = login_as(world.coordinator_gb).get(f"/meetings/{meeting.id}/manage")
    picker = text.get_data(as_text=True).split('name="invitee-user_id"')[1].split("</select>")[0]
    offered = [int(value) for value in re.findall(r'value="(\d+)"', picker)]
    invited = {invitee.user_id for invitee in meeting.invitees}
    people = session.scalars(select(User).order_by(User.name)).all()
    expected = [
        p.id for p in people if p.id not in invited and can_be_invited(p, meeting.working_group)
    ]
    assert offered == expected  # by name, as the rule says, of both parties
    assert {world.member_cl_outside_group.id, world.observer_gb.id} <= set(offered)
    for never in (world.admin, world.external_cl, world.member_co, gone, world.member_gb):
        assert never.id not in offered
    assert f">{world.observer_gb.name} (GB)</option>" in picker

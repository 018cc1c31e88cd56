"""Reading and managing are separate: one reading page for everyone (a coordinator's is the
stored one, plus a "Manage meeting" button), and the management page with the controls."""

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from portal.accounts.models import User
from portal.core.db import utcnow
from portal.meetings.access import can_be_invited
from portal.meetings.manage import MAX_PEOPLE
from portal.meetings.models import AgendaItem, Attendance, Invitee, MeetingPage
from tests.conftest import post
from tests.factories import make_meeting, make_user
from tests.helpers.minutes import circulated
from tests.helpers.statements import count_statements

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


def _crowded(session, world, starts_at, people: int = 45):
    """A meeting with `people` invitees of Chile besides the usual four (three pages)."""
    crowd = [make_user(session, world.cl, name=f"Delegate {n:02d}") for n in range(people)]
    session.commit()
    meeting = _meeting(session, world, starts_at=starts_at)
    for person in crowd:
        meeting.invitees.append(Invitee(user=person))
    session.commit()
    return meeting


def _names(text: str) -> list[str]:
    invitees = text.split('id="invitees"')[1].split("</ul>")[0]
    return re.findall(r"</span> ([^<·]+?) · <em>", invitees)


def test_the_invitees_are_paged_by_delegation_then_name(login_as, world, session, app):
    meeting = _crowded(session, world, STARTS)
    manage = f"/meetings/{meeting.id}/manage"
    coordinator = login_as(world.coordinator_gb)
    size = app.config["PAGE_SIZE"]
    pages = [
        _names(coordinator.get(f"{manage}?page={n}").get_data(as_text=True)) for n in (1, 2, 3)
    ]
    assert [len(names) for names in pages] == [size, size, 49 - 2 * size]
    everyone = [name for names in pages for name in names]
    invited = sorted(meeting.invitees, key=lambda i: (i.user.party.code, i.user.name.lower(), i.id))
    assert everyone == [i.user.name for i in invited]  # CL first, then GB, each by name
    text = coordinator.get(f"{manage}?page=2").get_data(as_text=True)
    assert f'href="{manage}?page=1#invitees">Previous</a>' in text
    assert f'href="{manage}?page=3#invitees">Next</a>' in text
    assert "Page 2 of 3" in text
    assert text.count("Withdraw invitation") == size
    withdraw = f'action="/meetings/{meeting.id}/invitees/{invited[size].id}/remove"'
    assert withdraw in text  # each button posts to its own invitee's address
    assert f'action="/meetings/{meeting.id}/agenda/{meeting.agenda[0].id}/remove"' in text
    spanish = login_as(world.admin).get(f"{manage}?page=3").get_data(as_text=True)
    assert "Página 3 de 3" in spanish and "Retirar invitación" in spanish


def test_attendance_is_recorded_one_page_at_a_time(login_as, world, session, app):
    meeting = _crowded(session, world, utcnow() - timedelta(hours=2))
    manage = f"/meetings/{meeting.id}/manage"
    coordinator = login_as(world.coordinator_gb)
    second = coordinator.get(f"{manage}?page=2").get_data(as_text=True)
    form = second.split(f'action="/meetings/{meeting.id}/attendance"')[1].split("</form>")[0]
    shown = [int(i) for i in re.findall(r'name="invitee_(\d+)"', form)]
    assert len(shown) == app.config["PAGE_SIZE"]
    assert '<input type="hidden" name="page" value="2">' in form
    first_page = [i.id for i in meeting.invitees if i.id not in shown][:3]
    session.execute(
        update(Invitee).where(Invitee.id.in_(first_page)).values(attendance=Attendance.ABSENT)
    )
    session.commit()
    marks = {f"invitee_{invitee_id}": "present" for invitee_id in shown}
    response = post(coordinator, f"/meetings/{meeting.id}/attendance", {**marks, "page": "2"})
    assert response.status_code == 302
    assert response.location.endswith(f"{manage}?page=2#attendance")
    session.expire_all()
    marked = {i.id: i.attendance for i in session.get(type(meeting), meeting.id).invitees}
    assert all(marked[invitee_id] == Attendance.PRESENT for invitee_id in shown)
    # The other pages' attendance is left as it was, not cleared.
    assert all(marked[invitee_id] == Attendance.ABSENT for invitee_id in first_page)
    others = set(marked) - set(shown) - set(first_page)
    assert others and all(marked[i] == Attendance.UNKNOWN for i in others)
    again = coordinator.get(f"{manage}?page=2").get_data(as_text=True)
    again_form = again.split(f'action="/meetings/{meeting.id}/attendance"')[1]
    assert again_form.count('<option selected value="present">Present</option>') == len(shown)


def test_the_invitee_picker_lists_the_first_people_and_finds_others_by_name(
    login_as, world, session
):
    extra = [make_user(session, world.gb, name=f"Analyst {n:03d}") for n in range(MAX_PEOPLE + 5)]
    session.commit()
    meeting = _meeting(session, world)
    manage = f"/meetings/{meeting.id}/manage"
    coordinator = login_as(world.coordinator_gb)
    text = coordinator.get(manage).get_data(as_text=True)
    picker = text.split('name="invitee-user_id"')[1].split("</select>")[0]
    assert len(re.findall(r'value="(\d+)"', picker)) == MAX_PEOPLE
    assert f"Only the first {MAX_PEOPLE} are listed." in text
    assert f">{extra[0].name} (GB)</option>" in picker  # by name: the analysts come first
    found = coordinator.get(f"{manage}?people=observer").get_data(as_text=True)
    found_picker = found.split('name="invitee-user_id"')[1].split("</select>")[0]
    assert [int(v) for v in re.findall(r'value="(\d+)"', found_picker)] == [world.observer_gb.id]
    nobody = coordinator.get(f"{manage}?people=zzzz").get_data(as_text=True)
    assert "Nobody who may still be invited has these words in their name." in nobody
    assert 'name="invitee-user_id"' not in nobody
    spanish = login_as(world.admin).get(f"{manage}?people=zzzz").get_data(as_text=True)
    assert "Nadie que aún pueda ser invitado(a) tiene estas palabras en su nombre." in spanish
    # Someone found only by a search is invited all the same.
    sent = post(coordinator, f"/meetings/{meeting.id}/invitees", {"invitee-user_id": extra[-1].id})
    assert sent.status_code == 302
    assert extra[-1].id in {i.user_id for i in session.scalars(select(Invitee))}


def test_a_failed_form_is_shown_again_on_its_page_with_its_errors(login_as, world, session):
    meeting = _crowded(session, world, utcnow() - timedelta(hours=2))
    manage = f"/meetings/{meeting.id}/manage"
    coordinator = login_as(world.coordinator_gb)
    second = coordinator.get(f"{manage}?page=2").get_data(as_text=True)
    form = second.split(f'action="/meetings/{meeting.id}/attendance"')[1].split("</form>")[0]
    shown = [int(i) for i in re.findall(r'name="invitee_(\d+)"', form)]
    marks = {f"invitee_{shown[0]}": "asleep", f"invitee_{shown[1]}": "present", "page": "2"}
    refused = post(coordinator, f"/meetings/{meeting.id}/attendance", marks, token_from=manage)
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "Page 2 of 3" in text and 'aria-invalid="true"' in text
    refused_form = text.split(f'action="/meetings/{meeting.id}/attendance"')[1]
    assert f'id="invitee_{shown[0]}"' in refused_form
    session.expire_all()
    assert {i.attendance for i in session.get(type(meeting), meeting.id).invitees} == {
        Attendance.UNKNOWN
    }
    # Someone who may not be invited: the picker is shown again, with the error.
    data = {"invitee-user_id": world.member_co.id}
    refused = post(coordinator, f"/meetings/{meeting.id}/invitees", data, token_from=manage)
    assert refused.status_code == 422
    picker = refused.get_data(as_text=True).split('id="invitees"')[1]
    assert 'name="invitee-user_id"' in picker and 'aria-invalid="true"' in picker


def test_the_page_reads_as_many_statements_however_many_are_invited(login_as, world, session, app):
    few = _meeting(session, world)
    many = _crowded(session, world, STARTS + timedelta(days=7), people=60)
    coordinator = login_as(world.coordinator_gb)
    counts = []
    for meeting, page in ((few, 1), (many, 1), (many, 2), (many, 3)):
        coordinator.get(f"/meetings/{meeting.id}/manage")  # warm what a server keeps
        with count_statements(app) as statements:
            coordinator.get(f"/meetings/{meeting.id}/manage?page={page}")
        counts.append(len(statements))
    # The first page is kept (manage_kept.py); the later ones are rendered for each request.
    assert counts[0] == counts[1] and counts[2] == counts[3]
    assert counts[0] < counts[2]

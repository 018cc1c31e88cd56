"""The management page's body, kept per language: every change shows at once to the next
manager, and what is each manager's own (tokens, the documents and people they may pick,
their minutes' buttons) is never kept nor shown to another."""

import re
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import delete, insert, select

from portal.accounts.models import User
from portal.core.db import utcnow
from portal.core.kept import KeptGeneration
from portal.core.tlp import TLP
from portal.documents.models import Document, agenda_item_documents
from portal.meetings.models import AgendaItem, Attendance, Invitee, ManagePage, Meeting
from tests.conftest import post
from tests.factories import make_document, make_meeting, make_user
from tests.helpers.minutes import approve, circulated

STARTS = datetime(2030, 5, 14, 14, tzinfo=UTC)


def _meeting(session, world, starts_at=STARTS):
    invitees = [world.coordinator_cl, world.member_cl, world.member_gb]
    meeting = make_meeting(session, world.group, starts_at, invitees=invitees)
    meeting.agenda.append(AgendaItem(position=1, title="Welcome"))
    session.commit()
    return meeting


def _kept(session, meeting) -> dict[str, ManagePage]:
    session.expire_all()
    rows = session.scalars(select(ManagePage).where(ManagePage.meeting_id == meeting.id))
    return {row.language: row for row in rows}


def _version(session, meeting) -> int:
    return session.scalar(select(Meeting.page_version).where(Meeting.id == meeting.id))


def _invitees(text: str) -> str:
    return text.split('id="invitees"')[1].split("</ul>")[0]


def _attendance(text: str) -> str:
    return text.split('id="attendance"')[1].split("</section>")[0]


def _agenda(text: str) -> str:
    return text.split('id="agenda"')[1].split("</section>")[0]


def test_each_change_made_elsewhere_shows_at_once_on_the_kept_page(login_as, world, session, app):
    meeting = _meeting(session, world, starts_at=utcnow() - timedelta(minutes=30))
    manage = f"/meetings/{meeting.id}/manage"
    manager = login_as(world.coordinator_gb)
    first = manager.get(manage).get_data(as_text=True)
    assert "Welcome" in _agenda(first) and world.member_gb.name in _invitees(first)
    kept = _kept(session, meeting)["en"]
    assert kept.version == _version(session, meeting) and "Welcome" in kept.html

    # An invitee added by another manager, then one taken off in another session.
    newcomer = make_user(session, world.gb, name="Nora Newcomer")
    session.commit()
    other = login_as(world.coordinator_cl)
    data = {"invitee-user_id": newcomer.id}
    assert post(other, f"/meetings/{meeting.id}/invitees", data).status_code == 302
    assert "Nora Newcomer" in _invitees(manager.get(manage).get_data(as_text=True))
    for person in (newcomer, world.member_gb):
        session.delete(
            session.scalar(
                select(Invitee).where(
                    Invitee.meeting_id == meeting.id, Invitee.user_id == person.id
                )
            )
        )
        session.commit()
        assert person.name not in _invitees(manager.get(manage).get_data(as_text=True))

    # An agenda item changed.
    item = session.scalar(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id))
    item.title = "Welcome and apologies"
    session.commit()
    assert "Welcome and apologies" in _agenda(manager.get(manage).get_data(as_text=True))

    # Attendance recorded.
    member = session.scalar(
        select(Invitee).where(
            Invitee.meeting_id == meeting.id, Invitee.user_id == world.member_cl.id
        )
    )
    member.attendance = Attendance.PRESENT
    session.commit()
    attendance = _attendance(manager.get(manage).get_data(as_text=True))
    select_of_member = attendance.split(f'name="invitee_{member.id}">')[1].split("</select>")[0]
    assert '<option selected value="present">Present</option>' in select_of_member

    # A document attached by another manager, then detached in another session.
    document_id = make_document(app, world.coordinator_cl, world.mou, title="Exercise plan")
    data = {"attach-document_id": str(document_id)}
    attach = f"/meetings/{meeting.id}/agenda/{item.id}/documents"
    assert post(other, attach, data, token_from=manage).status_code == 302
    text = manager.get(manage).get_data(as_text=True)
    assert f'href="/documents/{document_id}">Exercise plan</a>' in _agenda(text)
    session.execute(delete(agenda_item_documents))
    session.commit()
    text = manager.get(manage).get_data(as_text=True)
    assert f'href="/documents/{document_id}">' not in _agenda(text)
    attached = {"agenda_item_id": item.id, "document_id": document_id}
    session.execute(insert(agenda_item_documents).values(attached))
    session.commit()
    text = manager.get(manage).get_data(as_text=True)
    assert f'href="/documents/{document_id}">Exercise plan</a>' in _agenda(text)

    # Every change left the kept body stale; the next manager kept it anew.
    assert _kept(session, meeting)["en"].version == _version(session, meeting)


def test_two_managers_never_get_each_others_page(login_as, world, session, app):
    world.coordinator_cl.language = "en"  # both read English: one kept body for both
    meeting = _meeting(session, world)
    item = meeting.agenda[0]
    manage = f"/meetings/{meeting.id}/manage"
    # A document only Chile's delegation may open, on the agenda; the minutes circulated.
    own = make_document(
        app, world.coordinator_cl, world.mou, title="Chilean notes", tlp=TLP.AMBER_STRICT
    )
    chile = login_as(world.coordinator_cl)
    data = {"attach-document_id": str(own)}
    attach = f"/meetings/{meeting.id}/agenda/{item.id}/documents"
    assert post(chile, attach, data, token_from=manage).status_code == 302
    circulated(login_as, meeting, world)
    britain = login_as(world.coordinator_gb)
    chile_page = chile.get(manage).get_data(as_text=True)
    kept = _kept(session, meeting)["en"]
    assert kept.version == _version(session, meeting)
    britain_page = britain.get(manage).get_data(as_text=True)
    assert _kept(session, meeting)["en"].html == kept.html  # one body for both

    assert "Chilean notes" in chile_page and "Chilean notes" not in britain_page
    tokens = [
        set(re.findall(r'name="csrf_token" type="hidden" value="([^"]+)"', page))
        for page in (chile_page, britain_page)
    ]
    assert all(len(found) == 1 for found in tokens) and tokens[0] != tokens[1]
    # Each co-chair approves for their own delegation only.
    assert f"Approve for {world.cl.name_en}" in chile_page
    assert f"Approve for {world.gb.name_en}" in britain_page
    for page, party in ((chile_page, world.cl), (britain_page, world.gb)):
        others = {world.cl, world.gb} - {party}
        assert all(f"Approve for {p.name_en}" not in page for p in others)
    # The kept body holds no token, no document, no button of anyone's.
    assert "<!--csrf-->" in kept.html and "Chilean notes" not in kept.html
    assert "Approve for" not in kept.html and "Edit the minutes" not in kept.html
    assert 'name="invitee-user_id"' not in kept.html

    # The documents each may attach (their forms kept in the process for the documents read)
    # show one made meanwhile at once, to both, and Chile's own still to Chile only.
    shared = make_document(app, world.coordinator_gb, world.mou, title="Shared exercise plan")
    for client, own_shown in ((chile, True), (britain, False)):
        agenda = _agenda(client.get(manage).get_data(as_text=True))
        attach = agenda.split('name="attach-document_id"')[1].split("</select>")[0]
        assert f'value="{shared}">Shared exercise plan' in attach
        assert (f'value="{own}">' in attach) is own_shown


def test_a_refused_form_shows_what_was_sent_and_is_never_kept(login_as, world, session):
    meeting = _meeting(session, world)
    manage = f"/meetings/{meeting.id}/manage"
    manager = login_as(world.coordinator_gb)
    manager.get(manage)
    kept = _kept(session, meeting)["en"]
    data = {"agenda-title": "", "agenda-presenter": "Ana Presenter"}
    refused = post(manager, f"/meetings/{meeting.id}/agenda", data, token_from=manage)
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert 'aria-invalid="true"' in text and 'value="Ana Presenter"' in text
    after = _kept(session, meeting)["en"]
    assert (after.version, after.html) == (kept.version, kept.html)
    again = manager.get(manage).get_data(as_text=True)
    assert 'aria-invalid="true"' not in again and "Ana Presenter" not in again


def test_a_page_kept_before_the_start_is_not_served_after_it(login_as, world, session):
    meeting = _meeting(session, world, starts_at=utcnow() + timedelta(minutes=10))
    manage = f"/meetings/{meeting.id}/manage"
    manager = login_as(world.coordinator_gb)
    before = manager.get(manage).get_data(as_text=True)
    assert "Attendance can be recorded once the meeting has started." in before
    with time_machine.travel(utcnow() + timedelta(minutes=20)):
        started = manager.get(manage).get_data(as_text=True)
        assert f'action="/meetings/{meeting.id}/attendance"' in started
        assert "Cancel the meeting" in started
    with time_machine.travel(utcnow() + timedelta(hours=2)):
        over = manager.get(manage).get_data(as_text=True)
        assert "Cancel the meeting" not in over


def _picker(text: str) -> str:
    return text.split('id="invitee-user_id"')[1].split("</select>")[0]


def _people_generation(session) -> int:
    return session.scalar(select(KeptGeneration.generation).where(KeptGeneration.name == "people"))


def test_the_kept_list_of_people_to_invite_shows_each_change_of_accounts_at_once(
    login_as, world, session
):
    meeting = _meeting(session, world)
    manage = f"/meetings/{meeting.id}/manage"
    manager = login_as(world.coordinator_gb)
    first = _picker(manager.get(manage).get_data(as_text=True))
    assert f"{world.observer_gb.name} (GB)" in first and world.member_gb.name not in first
    assert world.member_co.name not in first  # Colombia is not in the MoU
    kept = _kept(session, meeting)["en"]
    assert kept.people_generation == _people_generation(session)
    assert f"{world.observer_gb.name} (GB)" in kept.picker

    # A login writes the account but shows nothing new: the kept list stays.
    login_as(world.member_cl)
    assert _kept(session, meeting)["en"].people_generation == _people_generation(session)

    # An account made, renamed, moved to a party outside the MoU, in other sessions.
    newcomer = make_user(session, world.gb, name="Nora Newcomer")
    session.commit()
    assert "Nora Newcomer (GB)" in _picker(manager.get(manage).get_data(as_text=True))
    assert "Nora Newcomer (GB)" in _kept(session, meeting)["en"].picker
    newcomer = session.get(User, newcomer.id)
    newcomer.name = "Nora Renamed"
    session.commit()
    listed = _picker(manager.get(manage).get_data(as_text=True))
    assert "Nora Renamed (GB)" in listed and "Nora Newcomer" not in listed
    newcomer = session.get(User, newcomer.id)
    newcomer.party_id = world.co.id
    session.commit()
    assert "Nora Renamed" not in _picker(manager.get(manage).get_data(as_text=True))
    newcomer = session.get(User, newcomer.id)
    newcomer.party_id = world.gb.id
    session.commit()
    assert "Nora Renamed (GB)" in _picker(manager.get(manage).get_data(as_text=True))

    # Deactivated: no longer offered. Invited by another manager: no longer offered either.
    observer = session.get(User, world.observer_gb.id)
    observer.is_active = False
    session.commit()
    assert world.observer_gb.name not in _picker(manager.get(manage).get_data(as_text=True))
    other = login_as(world.coordinator_cl)
    data = {"invitee-user_id": newcomer.id}
    assert post(other, f"/meetings/{meeting.id}/invitees", data).status_code == 302
    text = manager.get(manage).get_data(as_text=True)
    assert "Nora Renamed" not in _picker(text) and "Nora Renamed" in _invitees(text)
    kept = _kept(session, meeting)["en"]
    assert kept.version == _version(session, meeting)
    assert kept.people_generation == _people_generation(session)

    # Searched for by name, the list is read for the request, the kept one left as it is.
    found = manager.get(f"{manage}?people=Emily").get_data(as_text=True)  # invited already
    assert "Nobody who may still be invited has these words in their name." in found
    assert 'id="invitee-user_id"' not in found
    assert _kept(session, meeting)["en"].picker == kept.picker


def test_each_manager_invites_through_the_kept_list_with_their_own_tokens(login_as, world, session):
    world.coordinator_cl.language = "en"  # both read English: one kept list for both
    meeting = _meeting(session, world)
    manage = f"/meetings/{meeting.id}/manage"
    chile, britain = login_as(world.coordinator_cl), login_as(world.coordinator_gb)
    pages = [client.get(manage).get_data(as_text=True) for client in (chile, britain)]
    kept = _kept(session, meeting)["en"]
    assert "<!--csrf-->" in kept.picker and "<!--picker_submission-->" in kept.picker
    forms = [page.split(f'action="/meetings/{meeting.id}/invitees"')[1] for page in pages]
    tokens = [
        re.search(r'name="invitee-csrf_token" type="hidden" value="([^"]+)"', f) for f in forms
    ]
    submissions = [
        re.search(r'name="invitee-submission_token" type="hidden" value="([^"]+)"', f)
        for f in forms
    ]
    assert all(tokens) and tokens[0].group(1) != tokens[1].group(1)
    assert all(submissions) and submissions[0].group(1) != submissions[1].group(1)
    assert _picker(pages[0]) == _picker(pages[1])  # the same people for both
    # Each manager's own tokens work: the Chilean coordinator invites from the kept list.
    payload = {
        "invitee-csrf_token": tokens[0].group(1),
        "invitee-submission_token": submissions[0].group(1),
        "invitee-user_id": str(world.observer_gb.id),
    }
    response = chile.post(f"/meetings/{meeting.id}/invitees", data=payload)
    assert response.status_code == 302
    assert world.observer_gb.name in _invitees(britain.get(manage).get_data(as_text=True))


def _attachable(client, manage: str) -> str:
    """The options of the form attaching a document to the first agenda item ("" when the
    manager may attach none: the form is not shown)."""
    agenda = _agenda(client.get(manage).get_data(as_text=True))
    if 'name="attach-document_id"' not in agenda:
        return ""
    return agenda.split('name="attach-document_id"')[1].split("</select>")[0]


def test_the_documents_a_manager_may_attach_follow_each_change_at_once(
    login_as, world, session, app
):
    """They are kept per manager under the MoU's library version: each change of a document
    of the MoU, of its named readers or of the manager's party shows on the next page."""
    meeting = _meeting(session, world)
    manage = f"/meetings/{meeting.id}/manage"
    plan = make_document(app, world.coordinator_gb, world.mou, title="Exercise plan")
    chile = login_as(world.coordinator_cl)
    assert f'value="{plan}">Exercise plan' in _attachable(chile, manage)

    # Named on a red document by someone else: offered at once; unnamed: gone at once.
    red = make_document(
        app, world.coordinator_gb, world.mou, title="Red notes", tlp=TLP.RED, reader_ids=[]
    )
    assert f'value="{red}">' not in _attachable(chile, manage)
    document = session.get(Document, red)
    document.readers.append(session.get(User, world.coordinator_cl.id))
    session.commit()
    assert f'value="{red}">Red notes' in _attachable(chile, manage)
    document.readers.clear()
    session.commit()
    assert f'value="{red}">' not in _attachable(chile, manage)

    # Renamed, then relabelled for the other delegation only, then moved out of the MoU.
    document = session.get(Document, plan)
    document.title_en = "Exercise plan, second draft"
    session.commit()
    assert f'value="{plan}">Exercise plan, second draft' in _attachable(chile, manage)
    document.tlp, document.owning_party_id = TLP.AMBER_STRICT, world.gb.id
    session.commit()
    assert f'value="{plan}">' not in _attachable(chile, manage)
    document.tlp, document.mou_id = TLP.GREEN, world.mou_cl_co.id
    session.commit()
    assert f'value="{plan}">' not in _attachable(chile, manage)

    # A British strict document: not Chile's coordinator's until they are of that party.
    strict = make_document(
        app, world.coordinator_gb, world.mou, title="British notes", tlp=TLP.AMBER_STRICT
    )
    assert f'value="{strict}">' not in _attachable(chile, manage)
    session.get(User, world.coordinator_cl.id).party_id = world.gb.id
    session.commit()
    assert f'value="{strict}">British notes' in _attachable(chile, manage)


def test_the_note_on_earlier_minutes_awaiting_approval_follows_each_change_at_once(
    login_as, world, session
):
    """The note is kept per manager and meeting under the group pages' generation: minutes
    circulated or approved elsewhere, or the earlier meeting moved, show on the next page."""
    earlier = _meeting(session, world, starts_at=STARTS - timedelta(days=30))
    meeting = _meeting(session, world)
    manage = f"/meetings/{meeting.id}/manage"
    note = "The minutes of an earlier meeting await approval"
    link = f'href="/meetings/{earlier.id}/minutes"'
    britain = login_as(world.coordinator_gb)
    assert note not in britain.get(manage).get_data(as_text=True)

    circulated(login_as, earlier, world)  # by Chile's coordinator, in another session
    page = britain.get(manage).get_data(as_text=True)
    assert note in page and link in page
    assert link in login_as(world.coordinator_cl).get(manage).get_data(as_text=True)

    # Moved to another group (of an MoU Britain is not party to), then back.
    session.get(Meeting, earlier.id).working_group_id = world.group_cl_co.id
    session.commit()
    assert link not in britain.get(manage).get_data(as_text=True)
    session.get(Meeting, earlier.id).working_group_id = world.group.id
    session.commit()
    assert link in britain.get(manage).get_data(as_text=True)

    assert approve(britain, earlier).status_code == 302
    assert approve(login_as(world.coordinator_cl), earlier).status_code == 302
    assert note not in britain.get(manage).get_data(as_text=True)

"""Attaching documents to meeting agenda items: who may, what is refused, what readers see."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from portal.core.tlp import TLP
from portal.documents.models import agenda_item_documents
from portal.meetings.models import AgendaItem
from tests import factories
from tests.conftest import csrf_token


@pytest.fixture
def meeting(world, session):
    meeting = factories.make_meeting(session, world.group, datetime(2027, 3, 1, 13, tzinfo=UTC))
    meeting.agenda.append(AgendaItem(position=1, title="Strategies"))
    session.commit()
    return meeting


def _attached(session) -> list[tuple[int, int]]:
    session.rollback()
    return [tuple(row) for row in session.execute(select(agenda_item_documents))]


def _attach(browser, meeting, document_id):
    item = meeting.agenda[0]
    path = f"/meetings/{meeting.id}/agenda/{item.id}/documents"
    token = csrf_token(browser, f"/meetings/{meeting.id}")
    return browser.post(path, data={"csrf_token": token, "attach-document_id": str(document_id)})


def test_a_coordinator_attaches_and_detaches_a_document(
    world, meeting, login_as, session, make_document
):
    document_id = make_document(world.member_cl, mou=world.mou, title="Estrategia")
    coordinator = login_as(world.coordinator_gb)
    page = coordinator.get(f"/meetings/{meeting.id}/manage").get_data(as_text=True)
    assert "Estrategia · TLP:GREEN" in page  # offered in the agenda item's list
    response = _attach(coordinator, meeting, document_id)
    assert response.status_code == 302
    assert response.location.endswith(f"/meetings/{meeting.id}/manage#agenda")
    assert _attached(session) == [(meeting.agenda[0].id, document_id)]
    member_page = login_as(world.member_gb).get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert f'href="/documents/{document_id}"' in member_page and "Detach" not in member_page
    # The coordinator's reading page shows it as a link too; detaching is managing.
    reading = coordinator.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert f'href="/documents/{document_id}"' in reading and "Detach" not in reading
    managing = coordinator.get(f"/meetings/{meeting.id}/manage").get_data(as_text=True)
    assert f'href="/documents/{document_id}"' in managing and "Detach" in managing
    item = meeting.agenda[0]
    path = f"/meetings/{meeting.id}/agenda/{item.id}/documents/{document_id}/remove"
    token = csrf_token(coordinator, f"/meetings/{meeting.id}/manage")
    asked = coordinator.post(path, data={"csrf_token": token})
    assert asked.status_code == 200 and "Detach the document?" in asked.get_data(as_text=True)
    assert _attached(session) == [(item.id, document_id)]
    response = coordinator.post(path, data={"csrf_token": token, "confirmed": "1"})
    assert response.status_code == 302
    assert _attached(session) == []


def test_members_may_not_attach_and_bad_choices_are_refused(
    world, meeting, login_as, session, make_document
):
    document_id = make_document(world.member_cl, mou=world.mou)
    other_mou = make_document(world.member_co, mou=world.mou_cl_co, tlp=TLP.CLEAR)
    red = make_document(world.member_cl, mou=world.mou, tlp=TLP.RED)
    assert _attach(login_as(world.member_cl), meeting, document_id).status_code == 403
    coordinator = login_as(world.coordinator_cl)
    for refused in (other_mou, red, 999_999, "x"):
        assert _attach(coordinator, meeting, refused).status_code == 422
    assert _attach(login_as(world.member_co), meeting, document_id).status_code == 404
    assert _attached(session) == []


def test_the_attachment_select_starts_blank_and_an_empty_choice_is_refused(
    world, meeting, login_as, session, make_document
):
    make_document(world.member_cl, mou=world.mou, title="Estrategia")
    coordinator = login_as(world.coordinator_gb)
    page = coordinator.get(f"/meetings/{meeting.id}/manage").get_data(as_text=True)
    options = page.split('name="attach-document_id">')[1].split("</select>")[0]
    assert options.strip().startswith('<option selected value="">Choose…</option>')
    assert options.count(" selected") == 1  # no document is preselected
    response = _attach(coordinator, meeting, "")
    assert response.status_code == 422
    assert "Choose one of the options." in response.get_data(as_text=True)
    assert _attached(session) == []

"""Attaching documents to meeting agenda items: who may, what is refused, what readers see."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from portal.core.tlp import TLP
from portal.documents.models import agenda_item_documents
from portal.meetings import attachments
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


def _offered(page: str, item_id: int) -> str:
    return page.split(f'id="attach-{item_id}"')[1].split("</select>")[0]


def test_the_latest_documents_are_offered_and_any_other_is_found_by_its_title(
    world, meeting, login_as, session, make_document, monkeypatch
):
    monkeypatch.setattr(attachments, "MAX_CANDIDATES", 2)
    old = make_document(world.member_cl, mou=world.mou, title="Old regional strategy")
    make_document(world.member_cl, mou=world.mou, title="Newer protocol")
    plan = make_document(world.member_cl, mou=world.mou, group=world.group, title="Our plan")
    make_document(world.member_cl, mou=world.mou, title="Latest guide")
    make_document(world.member_co, mou=world.mou_cl_co, title="Colombian strategy")
    meeting.agenda.append(AgendaItem(position=2, title="Next steps"))
    session.commit()
    first, second = (item.id for item in meeting.agenda)
    coordinator = login_as(world.coordinator_gb)
    manage = f"/meetings/{meeting.id}/manage"
    page = coordinator.get(manage).get_data(as_text=True)
    offered = _offered(page, first)
    assert offered.index("Latest guide") < offered.index("Our plan")
    assert "Newer protocol" not in offered and "Old regional strategy" not in offered
    assert _offered(page, second) == offered  # the same list under every item
    assert "Only the first 2 are listed." in page
    # Searching by a word of the title finds the older one, not another MoU's.
    found = coordinator.get(f"{manage}?documents=STRATEGY").get_data(as_text=True)
    assert f'<option value="{old}">Old regional strategy · TLP:GREEN</option>' in found
    assert "Colombian strategy" not in found and "Our plan" not in _offered(found, first)
    assert 'name="documents" value="STRATEGY"' in found  # carried by each attach form
    path = f"/meetings/{meeting.id}/agenda/{first}/documents"
    token = csrf_token(coordinator, manage)
    data = {"csrf_token": token, "attach-document_id": str(old), "documents": "strategy"}
    assert coordinator.post(path, data=data).status_code == 302
    assert _attached(session) == [(first, old)]
    nothing = coordinator.get(f"{manage}?documents=unheard-of").get_data(as_text=True)
    assert "No document of the MoU you may open has these words in its title." in nothing
    assert f'id="attach-{first}"' not in nothing  # nothing to choose: no attach form
    latest = coordinator.get(manage).get_data(as_text=True)
    assert f'<option value="{plan}">Our plan · TLP:GREEN</option>' in _offered(latest, first)


def test_what_managers_may_open_of_an_mou_does_not_follow_their_groups(
    world, session, make_document, app
):
    """The documents to attach are kept per manager under the MoU's library version
    (meetings/manage_documents.py): for whom mou_documents_follow_party holds, being in a
    working group or not never changes what they may open; for a member, it does."""
    from portal.accounts.models import User
    from portal.documents.access import mou_documents_follow_party, visible_documents_clause
    from portal.documents.models import Document
    from portal.mous.models import Membership, WorkingGroup

    labels = (TLP.CLEAR, TLP.GREEN, TLP.AMBER, TLP.AMBER_STRICT)
    ids = {make_document(world.member_cl, mou=world.mou, group=world.group, tlp=t) for t in labels}

    def opened(user) -> set[int]:
        session.expire_all()
        reader = session.get(User, user.id)
        rule = visible_documents_clause(reader)
        return set(session.scalars(select(Document.id).where(Document.id.in_(ids), rule)))

    for user in (world.admin, world.coordinator_cl, world.coordinator_gb, world.member_cl):
        with app.test_request_context():
            follows = mou_documents_follow_party(session.get(User, user.id))
        assert follows is (user is not world.member_cl)
        group = session.get(WorkingGroup, world.group.id)
        if all(m.user_id != user.id for m in group.memberships):
            group.memberships.append(Membership(user_id=user.id))
            session.commit()
        in_group = opened(user)
        group.memberships = [m for m in group.memberships if m.user_id != user.id]
        session.commit()
        assert (opened(user) == in_group) is follows, user.email

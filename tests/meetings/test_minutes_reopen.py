"""Approved minutes stay approved: read-only until a co-chair reopens them with a reason."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from portal.accounts.models import Role
from portal.audit.models import AuditEvent
from portal.meetings.models import MinutesReopening, MinutesState
from portal.mous.models import Membership
from tests import factories
from tests.conftest import post
from tests.helpers.bad_input import changed_tables, snapshot
from tests.helpers.matrix import LOGIN, column, each_actor, outcome
from tests.helpers.minutes import approve, circulated, minutes_of, queued, route, write
from tests.helpers.rows import count

START = datetime(2026, 3, 10, 13, 0, tzinfo=UTC)
REASON = "The date of the joint exercise was written wrongly."


@pytest.fixture
def meeting(world, session):
    invitees = [world.coordinator_cl, world.coordinator_gb, world.member_cl, world.member_gb]
    created = factories.make_meeting(session, world.group, START, invitees=invitees)
    session.commit()
    return created


@pytest.fixture
def approved(login_as, world, meeting, session):
    """The minutes, circulated and approved by both co-chairs; the editor's client."""
    editor = circulated(login_as, meeting, world)
    assert approve(login_as(world.coordinator_gb), meeting).status_code == 302
    assert approve(login_as(world.coordinator_cl), meeting).status_code == 302
    assert minutes_of(session, meeting).state == MinutesState.APPROVED
    return editor


def _reopen(client, meeting, reason: str = REASON):
    return post(
        client, route(meeting, "/reopen"), {"reason": reason}, token_from=route(meeting, "/reopen")
    )


def test_editing_approved_minutes_is_refused_and_writes_nothing(approved, world, meeting, session):
    mails_before = len(queued(session, "minutes_circulated"))
    before = snapshot(session)
    response = write(approved, meeting, "Agreed: exchange of indicators weekly.", base="1")
    assert response.status_code == 409
    assert "El acta está aprobada y ya no se puede modificar." in response.get_data(as_text=True)
    assert changed_tables(before, snapshot(session)) == []
    minutes = minutes_of(session, meeting)
    # Revision 2: the English text (1), then the Spanish one (2), approved as a pair.
    assert (minutes.state, minutes.revision_number) == (MinutesState.APPROVED, 2)
    assert all(a.withdrawn_at is None for a in minutes.approvals)
    assert len(queued(session, "minutes_circulated")) == mails_before


def test_approved_minutes_show_no_edit_form_and_offer_co_chairs_to_reopen(
    approved, login_as, world, meeting
):
    page = approved.get(route(meeting)).get_data(as_text=True)  # coordinator CL, co-chair
    assert 'name="base_revision"' not in page
    assert "El acta está aprobada y es de solo lectura." in page
    assert f'href="/meetings/{meeting.id}/minutes/reopen"' in page
    member_page = login_as(world.member_cl).get(route(meeting)).get_data(as_text=True)
    assert "/minutes/reopen" not in member_page
    assert "El acta está aprobada y es de solo lectura." in member_page
    gb_page = login_as(world.member_gb).get(route(meeting)).get_data(as_text=True)
    assert "The minutes are approved and read-only." in gb_page


def test_reopening_asks_first_and_an_empty_reason_writes_nothing(approved, world, meeting, session):
    page = approved.get(route(meeting, "/reopen"))
    assert page.status_code == 200
    assert 'name="reason"' in page.get_data(as_text=True)
    before = snapshot(session)
    for reason in ("", "   \r\n  "):
        response = _reopen(approved, meeting, reason)
        assert response.status_code == 422
        assert "Indique por qué se reabre el acta" in response.get_data(as_text=True)
    assert changed_tables(before, snapshot(session)) == []
    assert minutes_of(session, meeting).state == MinutesState.APPROVED


def test_a_reason_too_long_is_refused(approved, meeting, session):
    response = _reopen(approved, meeting, "x" * 2001)
    assert response.status_code == 422
    assert "Use como máximo 2000 caracteres." in response.get_data(as_text=True)
    assert count(session, MinutesReopening) == 0


def test_a_co_chair_reopens_with_a_reason_kept_in_the_history_and_shown(
    approved, login_as, world, meeting, session
):
    gb = login_as(world.coordinator_gb)
    response = _reopen(gb, meeting)
    assert response.status_code == 302
    minutes = minutes_of(session, meeting)
    assert minutes.state == MinutesState.DRAFT
    assert all(a.withdrawn_at is not None for a in minutes.approvals)
    [reopening] = minutes.reopenings
    assert (reopening.user_id, reopening.party_id, reopening.revision_number) == (
        world.coordinator_gb.id,
        world.gb.id,
        2,
    )
    assert reopening.reason == REASON
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "minutes.reopened"))
    assert event.actor_id == world.coordinator_gb.id
    assert (event.object_type, event.object_id) == ("meeting", str(meeting.id))
    assert event.details == {"revision": 2, "party_id": world.gb.id}  # no text

    for client in (approved, login_as(world.member_gb)):
        page = client.get(route(meeting)).get_data(as_text=True)
        assert REASON in page
        assert "Reopened by" in page or "Reabierta por" in page
    history = login_as(world.member_gb).get(route(meeting, "/revisions")).get_data(as_text=True)
    assert "Reopenings of the approved minutes" in history
    assert REASON in history


def test_after_reopening_the_minutes_are_edited_and_both_approvals_asked_again(
    approved, login_as, world, meeting, session
):
    assert _reopen(login_as(world.coordinator_cl), meeting).status_code == 302
    assert write(approved, meeting, "Agreed: exchange of indicators weekly.").status_code == 302
    minutes = minutes_of(session, meeting)
    assert (minutes.state, minutes.revision_number) == (MinutesState.DRAFT, 3)
    # Not approved by anyone until circulated and approved again by each co-chair.
    assert approve(login_as(world.coordinator_gb), meeting).status_code == 409
    mails_before = len(queued(session, "minutes_circulated"))
    assert (
        post(approved, route(meeting, "/circulate"), token_from=route(meeting)).status_code == 302
    )
    asked = queued(session, "minutes_circulated")[mails_before:]
    assert {m.recipient for m in asked} == {world.coordinator_cl.email, world.coordinator_gb.email}
    assert approve(login_as(world.coordinator_gb), meeting).status_code == 302
    assert minutes_of(session, meeting).state == MinutesState.CIRCULATED
    assert approve(login_as(world.coordinator_cl), meeting).status_code == 302
    minutes = minutes_of(session, meeting)
    assert minutes.state == MinutesState.APPROVED
    current = [a for a in minutes.approvals if a.withdrawn_at is None]
    assert sorted(a.revision_number for a in current) == [3, 3]


def test_minutes_that_are_not_approved_cannot_be_reopened(login_as, world, meeting, session):
    editor = circulated(login_as, meeting, world)
    response = _reopen(editor, meeting)
    assert response.status_code == 409
    assert "Solo se puede reabrir un acta aprobada." in response.get_data(as_text=True)
    assert count(session, MinutesReopening) == 0
    assert minutes_of(session, meeting).state == MinutesState.CIRCULATED


def test_a_member_who_co_chairs_may_reopen_a_coordinator_who_does_not_may_not(
    approved, login_as, world, meeting, session
):
    other_coordinator = factories.make_user(
        session, world.cl, Role.COORDINATOR, email="coord2.cl@example.org"
    )
    session.get(Membership, _membership_id(session, world, world.member_cl)).is_co_chair = True
    session.commit()
    assert _reopen(login_as(other_coordinator), meeting).status_code == 403
    assert _reopen(login_as(world.member_cl), meeting).status_code == 302
    assert minutes_of(session, meeting).reopenings[0].user_id == world.member_cl.id


def _membership_id(session, world, user) -> int:
    return session.scalar(
        select(Membership.id).where(
            Membership.working_group_id == world.group.id, Membership.user_id == user.id
        )
    )


# The permission matrix of the reopening route ----------------------------------------------

# Columns, in the order of ACTORS:
#   anon, admin, coordinator CL, coordinator GB, member CL (in the group),
#   member CL outside the group, observer GB, external CL, member CO, coordinator CO.
# coordinator CL and coordinator GB co-chair the group; the others may at most read it.
# fmt: off
REOPEN_PAGE = (LOGIN, 403, 200, 200, 403, 404, 403, 404, 404, 404)
REOPEN_POST = (LOGIN, 403, 302, 302, 403, 404, 403, 404, 404, 404)
# fmt: on


@each_actor
def test_reopen_permission_matrix(approved, browser_for, world, meeting, session, actor):
    client = browser_for(actor)
    answers = column({"page": REOPEN_PAGE, "post": REOPEN_POST}, actor)
    page = client.get(route(meeting, "/reopen"))
    token_page = "/auth/login" if actor == "anonymous" else None
    response = post(client, route(meeting, "/reopen"), {"reason": REASON}, token_from=token_page)
    reopened = count(session, MinutesReopening) == 1
    assert (outcome(page), outcome(response), reopened) == (
        answers["page"],
        answers["post"],
        answers["post"] == 302,
    )
    assert (minutes_of(session, meeting).state == MinutesState.DRAFT) == reopened

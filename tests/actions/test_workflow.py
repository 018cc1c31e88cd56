"""The workflow of an action item: every allowed and refused transition, and its history."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.actions import services
from portal.actions.models import ActionHistory, ActionItem, ActionStatus, Priority
from portal.actions.queries import get_action
from portal.core.db import utcnow
from portal.core.errors import Forbidden, ValidationError
from portal.notifications.models import OutboxMessage
from tests.conftest import post
from tests.factories import make_action

S = ActionStatus
ALLOWED = {
    (S.OPEN, S.IN_PROGRESS),
    (S.OPEN, S.DONE),
    (S.OPEN, S.CANCELLED),
    (S.IN_PROGRESS, S.DONE),
    (S.IN_PROGRESS, S.CANCELLED),
    (S.DONE, S.OPEN),
    (S.CANCELLED, S.OPEN),
}
EVERY_PAIR = [(old, new) for old in S for new in S]


@pytest.fixture
def item(world, session):
    action = make_action(
        session, world.group, [world.member_cl, world.member_gb], date.today() + timedelta(10)
    )
    session.commit()
    return action


def _status_history(session, item_id):
    rows = session.scalars(
        select(ActionHistory)
        .where(ActionHistory.action_item_id == item_id, ActionHistory.field == "status")
        .order_by(ActionHistory.id)
    )
    return [(h.before, h.after, h.actor_id) for h in rows]


@pytest.mark.parametrize(("old", "new"), EVERY_PAIR)
def test_each_transition_is_allowed_or_refused_and_history_records_it(
    world, session, item, login_as, old, new
):
    session.get(ActionItem, item.id).status = old
    session.commit()
    browser = login_as(world.member_gb)  # an owner
    reason = "Superseded by the national plan" if new == S.CANCELLED else ""
    response = post(
        browser,
        f"/actions/{item.id}/status",
        {"status-status": new.value, "status-reason": reason},
        token_from=f"/actions/{item.id}",
    )
    session.rollback()
    stored = session.get(ActionItem, item.id)
    if (old, new) in ALLOWED:
        assert response.status_code == 302
        assert stored.status == new
        assert _status_history(session, item.id) == [(old.value, new.value, world.member_gb.id)]
        assert stored.completed_on == (utcnow().date() if new == S.DONE else None)
    else:
        assert response.status_code == 422
        assert "cannot go from" in response.get_data(as_text=True)
        assert stored.status == old
        assert _status_history(session, item.id) == []


def test_cancelling_needs_a_reason_which_history_keeps(world, session, item, login_as):
    browser = login_as(world.member_gb)
    path = f"/actions/{item.id}/status"
    refused = post(browser, path, {"status-status": "cancelled"}, token_from=f"/actions/{item.id}")
    assert refused.status_code == 422
    assert "Say why the item is cancelled." in refused.get_data(as_text=True)
    done = post(
        browser,
        path,
        {"status-status": "cancelled", "status-reason": "No longer needed"},
        token_from=f"/actions/{item.id}",
    )
    assert done.status_code == 302
    page = browser.get(f"/actions/{item.id}").get_data(as_text=True)
    assert "No longer needed" in page
    session.rollback()
    fields = [h.field for h in session.get(ActionItem, item.id).history]
    assert fields == ["status", "cancel_reason"]


def test_only_owners_and_coordinators_change_the_status(world, session, item, app_context):
    db_session = app_context
    action = get_action(db_session, world.coordinator_gb, item.id)
    services.change_status(db_session, world.coordinator_gb, action, S.IN_PROGRESS)
    with pytest.raises(Forbidden):
        services.change_status(db_session, world.observer_gb, action, S.DONE)
    with pytest.raises(Forbidden):
        services.change_status(db_session, world.member_cl_outside_group, action, S.DONE)
    with pytest.raises(ValidationError):
        services.change_status(db_session, world.member_cl, action, S.IN_PROGRESS)


def test_editing_records_each_change_and_tells_new_owners(world, session, item, login_as):
    browser = login_as(world.member_cl)
    old_due, new_due = item.due_on, date.today() + timedelta(30)
    response = post(
        browser,
        f"/actions/{item.id}/edit",
        {
            "title": "Share the incident taxonomy v2",
            "description_md": "See <script>alert(1)</script> **now**",
            "owner_ids": [world.member_cl.id, world.coordinator_gb.id],
            "party_id": world.gb.id,
            "due_on": new_due.isoformat(),
            "priority": "high",
            "line_id": "0",
        },
        token_from=f"/actions/{item.id}/edit",
    )
    assert response.status_code == 302
    session.rollback()
    stored = session.get(ActionItem, item.id)
    changes = {h.field: (h.before, h.after, h.actor_id) for h in stored.history}
    assert changes["title"][1] == "Share the incident taxonomy v2"
    assert changes["due_on"] == (old_due.isoformat(), new_due.isoformat(), world.member_cl.id)
    assert changes["owners"] == (
        "Emily Clarke, Javiera Soto",
        "Coordinator GB, Javiera Soto",
        world.member_cl.id,
    )
    assert changes["priority"] == ("normal", "high", world.member_cl.id)
    assert changes["party"] == ("CL", "GB", world.member_cl.id)
    assert "<script>" not in stored.description_html
    assert "<strong>now</strong>" in stored.description_html
    assert stored.priority == Priority.HIGH
    mails = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "action_assigned"))
    assert [m.recipient for m in mails] == [world.coordinator_gb.email]


def test_status_change_mails_owners_and_author_in_their_language(world, session, login_as):
    author_item = make_action(
        session,
        world.group,
        [world.member_cl, world.member_gb],
        date.today() + timedelta(5),
        created_by=world.coordinator_gb,
    )
    session.commit()
    browser = login_as(world.member_cl)
    response = post(
        browser,
        f"/actions/{author_item.id}/status",
        {"status-status": "in_progress"},
        token_from=f"/actions/{author_item.id}",
    )
    assert response.status_code == 302
    mails = {
        m.recipient: m
        for m in session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "action_status_changed")
        )
    }
    assert set(mails) == {world.member_gb.email, world.coordinator_gb.email}
    assert "In progress" in mails[world.member_gb.email].body_text
    assert mails[world.member_gb.email].subject.startswith("Action item status changed")


def test_comments_by_owners_and_coordinators_only(world, session, item, login_as):
    owner = login_as(world.member_gb)
    path = f"/actions/{item.id}/comments"
    posted = post(owner, path, {"comment-body": "Draft **sent**"}, token_from=f"/actions/{item.id}")
    assert posted.status_code == 302
    assert "<strong>sent</strong>" in owner.get(f"/actions/{item.id}").get_data(as_text=True)
    observer = login_as(world.observer_gb)
    refused = post(observer, path, {"comment-body": "Hi"}, token_from=f"/actions/{item.id}")
    assert refused.status_code == 403
    session.rollback()
    assert [c.body_md for c in session.get(ActionItem, item.id).comments] == ["Draft **sent**"]


def test_a_spanish_reader_sees_the_item_page_in_spanish(world, session, item, login_as):
    page = login_as(world.member_cl).get(f"/actions/{item.id}").get_data(as_text=True)
    assert "Historial" in page
    assert "Abierta" in page

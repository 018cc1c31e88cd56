"""The preferences form and the outbox page with bad input: a clear message, a 422, no write."""

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.notifications.models import NotificationPreference, OutboxMessage, OutboxStatus
from tests.conftest import csrf_token
from tests.helpers.bad_input import changed_tables, shown_errors, snapshot
from tests.helpers.fuzz import FUZZ, TEXT
from tests.helpers.notifications import queue_plain

CHOICES = {
    "meetings": "digest",
    "minutes": "off",
    "polls": "immediate",
    "actions": "immediate",
    "documents": "immediate",
    "trainings": "immediate",
    "csirt": "immediate",
    "contacts": "immediate",
}


def _post_preferences(client, data):
    path = "/account/notifications"
    return client.post(path, data={"csrf_token": csrf_token(client, path), **data})


@pytest.fixture
def member(world, login_as):
    return login_as(world.member_gb)


def test_choices_are_saved_shown_again_and_audited(member, session, world):
    response = _post_preferences(member, CHOICES)
    assert response.status_code == 302
    saved = {
        p.category: p.delivery.value
        for p in session.scalars(
            select(NotificationPreference).where(
                NotificationPreference.user_id == world.member_gb.id
            )
        )
    }
    assert saved == {"meetings": "digest", "minutes": "off"}  # immediate is the default: no row
    page = member.get("/account/notifications").get_data(as_text=True)
    assert re.search(r'<input [^>]*checked[^>]*name="meetings"[^>]*value="digest"', page)
    assert session.scalars(
        select(AuditEvent).where(AuditEvent.action == "notifications.preferences_changed")
    ).one()


@pytest.mark.parametrize(
    "change",
    [{"meetings": "sometimes"}, {"minutes": ""}, {"actions": "off\r\n"}, {"trainings": None}],
)
def test_a_forged_or_missing_choice_is_refused_and_nothing_saved(member, session, change):
    data = {k: v for k, v in {**CHOICES, **change}.items() if v is not None}
    before = snapshot(session)
    response = _post_preferences(member, data)
    assert response.status_code == 422
    assert shown_errors(response)
    assert changed_tables(before, snapshot(session)) == []


@FUZZ
@given(value=TEXT, category=st.sampled_from(sorted(CHOICES)))
@example(value="immediate\x00", category="meetings")
def test_the_preferences_form_survives_any_text(member, session, value, category):
    before = snapshot(session)
    response = _post_preferences(member, {**CHOICES, category: value})
    assert response.status_code in (302, 422)
    if response.status_code == 422:
        assert shown_errors(response)
        assert changed_tables(before, snapshot(session)) == []


@pytest.fixture
def admin(world, login_as):
    return login_as(world.admin)


@pytest.mark.parametrize(
    "query", ["status=lost", "kind=Meeting Invitation", "kind=" + "x" * 65, "status=sent%00"]
)
def test_a_bad_outbox_filter_is_explained(admin, query):
    response = admin.get(f"/admin/outbox/?{query}")
    assert response.status_code == 422
    assert shown_errors(response)


def test_the_outbox_filters_and_retries_a_failed_message(admin, session):
    first, second = queue_plain(session, 2)
    failed = session.get(OutboxMessage, second)
    failed.status, failed.attempts, failed.last_error = OutboxStatus.FAILED, 8, "550 No mailbox"
    session.commit()
    page = admin.get("/admin/outbox/?status=failed").get_data(as_text=True)
    assert "person1@example.org" in page and "550 No mailbox" in page
    assert "person0@example.org" not in page
    assert "person0@example.org" in admin.get("/admin/outbox/?kind=meeting_changed").get_data(
        as_text=True
    )

    token = csrf_token(admin, "/admin/outbox/")
    assert (
        admin.post(f"/admin/outbox/{second}/retry", data={"csrf_token": token}).status_code == 302
    )
    session.expire_all()
    retried = session.get(OutboxMessage, second)
    assert (retried.status, retried.attempts) == (OutboxStatus.PENDING, 0)
    # A message that has not failed is not retried.
    response = admin.post(f"/admin/outbox/{first}/retry", data={"csrf_token": token})
    assert response.status_code == 302
    assert admin.post("/admin/outbox/999999/retry", data={"csrf_token": token}).status_code == 404

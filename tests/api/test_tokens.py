"""Tokens at the door of the API: only a live token opens it, a read token only reads, the
browser's session plays no part, and use is audited once a day, not once a request."""

from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from portal.actions.models import ActionItem
from portal.api.models import ApiToken, TokenScope
from portal.audit.models import AuditEvent
from portal.core.db import utcnow
from portal.core.tokens import hash_token
from tests.api.conftest import bearer, issue_token
from tests.conftest import login

NEW_ITEM = {
    "title_en": "Review the CSIRT playbook",
    "owner_ids": [],
    "responsible_party": "CL",
    "due_on": "2030-05-01",
}


def _new_item(ids) -> dict:
    return {**NEW_ITEM, "working_group_id": ids["group"], "owner_ids": [ids["member_cl"]]}


def _items(session) -> int:
    session.rollback()
    return session.scalar(select(func.count()).select_from(ActionItem))


def test_only_a_live_token_of_the_right_scope_is_let_in(app, session, api_world):
    client = app.test_client()
    w, ids = api_world.world, api_world.ids
    live = api_world.tokens["member_cl"]
    read_only = issue_token(app, w.member_cl, TokenScope.READ)
    revoked = issue_token(app, w.member_cl)
    expired = issue_token(app, w.member_cl, days=7)
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(revoked)))
    token.revoked_at = utcnow()
    session.commit()
    before = _items(session)

    meeting = f"/api/v1/meetings/{ids['meeting']}"
    assert client.get(meeting, headers=bearer(live)).status_code == 200
    assert client.get(meeting, headers=bearer(read_only)).status_code == 200
    for secret in (None, revoked, "ptk_" + "x" * 43, live[:-1], "Basic " + live):
        refused = client.get(meeting, headers=bearer(secret) if secret else {})
        assert refused.status_code == 401, secret
        assert refused.content_type == "application/problem+json"
        assert refused.headers["WWW-Authenticate"] == 'Bearer realm="portal"'
        assert refused.get_json()["status"] == 401
    with time_machine.travel(utcnow() + timedelta(days=8)):
        assert client.get(meeting, headers=bearer(expired)).status_code == 401
        assert client.get(meeting, headers=bearer(live)).status_code == 200
        late = client.post("/api/v1/action-items", json=_new_item(ids), headers=bearer(expired))
        assert late.status_code == 401

    written = client.post("/api/v1/action-items", json=_new_item(ids), headers=bearer(read_only))
    assert written.status_code == 403
    assert "read" in written.get_json()["detail"]
    assert _items(session) == before
    gone = client.post("/api/v1/action-items", json=_new_item(ids), headers=bearer(revoked))
    assert gone.status_code == 401
    assert _items(session) == before
    made = client.post("/api/v1/action-items", json=_new_item(ids), headers=bearer(live))
    assert made.status_code == 201
    assert _items(session) == before + 1


def test_the_session_cookie_opens_nothing_and_none_is_set(app, api_world):
    browser = app.test_client()
    login(browser, api_world.world.member_cl)
    meeting = f"/api/v1/meetings/{api_world.ids['meeting']}"
    assert browser.get(meeting).status_code == 401  # logged in on the pages, no token
    answer = app.test_client().get(meeting, headers=bearer(api_world.tokens["member_cl"]))
    assert answer.status_code == 200
    assert "Set-Cookie" not in answer.headers
    # No CSRF token is asked of a token's request (it carries no cookie to forge).
    posted = app.test_client().post(
        "/api/v1/action-items",
        json=_new_item(api_world.ids),
        headers=bearer(api_world.tokens["member_cl"]),
    )
    assert posted.status_code == 201


def test_use_is_audited_on_the_first_request_of_each_day(app, session, api_world):
    client = app.test_client()
    secret = api_world.tokens["observer_gb"]
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))

    def used_events() -> int:
        session.rollback()
        query = (
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "api_token.used", AuditEvent.object_id == str(token.id))
        )
        return session.scalar(query)

    assert used_events() == 0
    for _ in range(3):
        assert client.get("/api/v1/mous", headers=bearer(secret)).status_code == 200
    assert used_events() == 1
    session.refresh(token)
    assert token.last_used_at is not None
    with time_machine.travel(utcnow() + timedelta(days=1)):
        assert client.get("/api/v1/mous", headers=bearer(secret)).status_code == 200
    assert used_events() == 2
    assert secret not in str(session.scalars(select(AuditEvent.details)).all())

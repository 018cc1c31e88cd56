"""The profile's API tokens page: a token is created with a name, a scope and a bounded
expiry, shown once and stored hashed; bad input is refused and writes nothing; revoking asks
first; nobody reaches another person's token."""

import re

from sqlalchemy import select

from portal.api.models import ApiToken, TokenScope
from portal.core.tokens import hash_token
from tests.conftest import csrf_token
from tests.helpers.bad_input import EMPTY, changed_tables, shown_errors, snapshot

PAGE = "/account/api-tokens"
VALID = {"name": "CSIRT dashboard", "scope": "read", "days": "30"}
CHOOSE = "Choose one of the options in the list."
CASES = (
    (EMPTY, {}, "Give the token a name."),
    ("long name", {"name": "x" * 101}, "Use at most 100 characters."),
    ("forged scope", {"scope": "admin"}, CHOOSE),
    ("no expiry", {"days": ""}, "Choose one of the options."),
    ("expiry past a year", {"days": "1000"}, CHOOSE),
    ("expiry not a number", {"days": "never"}, CHOOSE),
)
SECRET = re.compile(r'value="(ptk_[A-Za-z0-9_-]{43})"')


def test_bad_input_is_refused_and_a_token_is_shown_once(session, login_as, world):
    browser = login_as(world.member_gb)  # in English; Chile's people read these in Spanish
    assert "API tokens" in browser.get("/account/").get_data(as_text=True)
    problems = []
    for label, changes, message in CASES:
        data = {k: "" for k in VALID} if label == EMPTY else {**VALID, **changes}
        before = snapshot(session)
        response = browser.post(PAGE, data={"csrf_token": csrf_token(browser, PAGE), **data})
        if response.status_code != 422:
            problems.append(f"{label}: answered {response.status_code}")
        if message not in shown_errors(response):
            problems.append(f"{label}: {message!r} not in {shown_errors(response)}")
        if written := changed_tables(before, snapshot(session)):
            problems.append(f"{label}: wrote to {written}")
    assert not problems, "\n".join(problems)

    created = browser.post(PAGE, data={"csrf_token": csrf_token(browser, PAGE), **VALID})
    assert created.status_code == 200
    secret = SECRET.search(created.get_data(as_text=True)).group(1)
    token = session.scalar(select(ApiToken))
    assert (token.name, token.scope, token.user_id) == (
        "CSIRT dashboard",
        TokenScope.READ,
        world.member_gb.id,
    )
    assert token.token_hash == hash_token(secret) and secret not in (token.prefix, token.token_hash)
    assert 29 <= (token.expires_at - token.created_at).days <= 30
    listing = browser.get(PAGE).get_data(as_text=True)
    assert "CSIRT dashboard" in listing and token.prefix in listing
    assert secret not in listing  # shown once: never again
    assert "Never" in listing  # not used yet


def test_revoking_asks_first_and_only_the_owner_may(app, session, login_as, world):
    from tests.api.conftest import bearer, issue_token

    secret = issue_token(app, world.member_cl)
    token = session.scalar(select(ApiToken))
    revoke = f"{PAGE}/{token.id}/revoke"
    for other in (world.member_gb, world.admin):
        stranger = login_as(other)
        assert stranger.get(revoke).status_code == 404
        refused = stranger.post(
            revoke, data={"csrf_token": csrf_token(stranger, PAGE), "confirmed": "1"}
        )
        assert refused.status_code == 404

    owner = login_as(world.member_cl)
    asked = owner.get(revoke)
    # The Chilean member reads it in Spanish.
    assert asked.status_code == 200 and "Revocar el token" in asked.get_data(as_text=True)
    unconfirmed = owner.post(revoke, data={"csrf_token": csrf_token(owner, PAGE)})
    assert unconfirmed.status_code == 200
    session.refresh(token)
    assert token.revoked_at is None
    assert app.test_client().get("/api/v1/mous", headers=bearer(secret)).status_code == 200

    done = owner.post(revoke, data={"csrf_token": csrf_token(owner, PAGE), "confirmed": "1"})
    assert done.status_code == 302
    session.refresh(token)
    assert token.revoked_at is not None
    assert app.test_client().get("/api/v1/mous", headers=bearer(secret)).status_code == 401
    assert "Revocado" in owner.get(PAGE).get_data(as_text=True)
    again = owner.post(revoke, data={"csrf_token": csrf_token(owner, PAGE), "confirmed": "1"})
    assert again.status_code == 409


def test_external_participants_hold_no_tokens(session, login_as, world):
    """They see only their trainings' pages: the tokens page is not one of them (404)."""
    browser = login_as(world.external_cl)
    assert browser.get(PAGE).status_code == 404
    token = csrf_token(browser, "/account/notifications")
    assert browser.post(PAGE, data={"csrf_token": token, **VALID}).status_code == 404
    assert session.scalar(select(ApiToken)) is None

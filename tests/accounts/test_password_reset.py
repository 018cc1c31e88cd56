"""Forgotten passwords, reset links and changing one's own password."""

import re
from datetime import timedelta

from sqlalchemy import select

from portal.accounts.models import PasswordReset, User, UserSession
from portal.core.db import utcnow
from portal.notifications.models import OutboxMessage
from tests.conftest import csrf_token, login, post
from tests.factories import PASSWORD
from tests.helpers.accounts import (
    RESET_PASSWORD,
    forgot_password,
    reset_link,
    set_password,
)
from tests.helpers.rows import assert_not_stored, count

SENT = (
    "If an account uses this address, a link to reset the password is on its way. "
    "It works once, for one hour."
)

USED_LINK = "This reset link has already been used, has expired or is not valid."
CSRF_VALUE = re.compile(r'value="[\w-]+\.[\w-]+\.[\w-]+"')


def _try_login(app, email, password) -> int:
    browser = app.test_client()
    data = {"email": email, "password": password, "csrf_token": csrf_token(browser)}
    return browser.post("/auth/login", data=data).status_code


def _logged_in(client) -> bool:
    response = client.get("/")
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/auth/login")
        return False
    assert response.status_code == 200
    return True


# Forgot password ---------------------------------------------------------------------------


def test_known_and_unknown_addresses_get_the_same_answer(app, world, session):
    known = forgot_password(app.test_client(), world.member_gb.email.upper())
    unknown = forgot_password(app.test_client(), "nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    assert known.request.path == unknown.request.path == "/auth/login"
    known_page = CSRF_VALUE.sub("", known.get_data(as_text=True))
    unknown_page = CSRF_VALUE.sub("", unknown.get_data(as_text=True))
    assert SENT in known_page
    assert known_page == unknown_page

    (row,) = session.scalars(select(OutboxMessage)).all()
    assert row.recipient == world.member_gb.email
    assert row.kind == "password_reset"
    assert count(session, PasswordReset) == 1


def test_reset_link_works_once_and_ends_every_session(app, world, session, login_as):
    elsewhere = login_as(world.member_gb)
    visitor = app.test_client()
    link = reset_link(app, visitor, world.member_gb)

    form = visitor.get(link)
    assert form.status_code == 200
    assert world.member_gb.email in form.get_data(as_text=True)

    response = set_password(visitor, link)
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    assert "Log in with the new one." in visitor.get("/auth/login").get_data(as_text=True)

    again = visitor.get(link)
    assert again.status_code == 404
    assert USED_LINK in again.get_data(as_text=True)
    assert set_password(app.test_client(), link, "yet another passphrase!").status_code == 404

    assert not _logged_in(elsewhere)
    assert _try_login(app, world.member_gb.email, PASSWORD) == 422
    assert _try_login(app, world.member_gb.email, RESET_PASSWORD) == 302


def test_reset_link_expires_after_one_hour(app, world, session):
    before = utcnow()
    link = reset_link(app, app.test_client(), world.member_gb)
    reset = session.scalars(select(PasswordReset)).one()
    assert before + timedelta(minutes=59) < reset.expires_at <= utcnow() + timedelta(hours=1)

    reset.expires_at = utcnow() - timedelta(seconds=1)
    session.commit()
    visitor = app.test_client()
    response = visitor.get(link)
    assert response.status_code == 404
    assert USED_LINK in response.get_data(as_text=True)
    assert set_password(visitor, link).status_code == 404
    assert _try_login(app, world.member_gb.email, PASSWORD) == 302


def test_reset_token_is_stored_hashed(app, world, session):
    link = reset_link(app, app.test_client(), world.member_gb)
    token = link.removeprefix("/auth/reset/")
    assert len(token) >= 32
    assert_not_stored(session, PasswordReset, token)


# Changing one's password ------------------------------------------------------------------


def _change(client, current, new=RESET_PASSWORD):
    data = {"current_password": current, "password": new, "confirm": new}
    return post(client, "/account/password", data, token_from="/account/password")


def test_wrong_current_password_changes_nothing(world, session, login_as):
    browser = login_as(world.member_gb)
    elsewhere = login_as(world.member_gb)
    hash_before = world.member_gb.password_hash
    response = _change(browser, "not my password at all")
    assert response.status_code == 422
    assert "The current password is not correct." in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(User, world.member_gb.id).password_hash == hash_before
    assert count(session, UserSession, UserSession.ended_at.is_not(None)) == 0
    assert _logged_in(browser)
    assert _logged_in(elsewhere)


def test_changing_the_password_ends_the_other_sessions(app, world, login_as):
    browser = login_as(world.member_gb)
    elsewhere = login_as(world.member_gb)
    response = _change(browser, PASSWORD)
    assert response.status_code == 302
    assert "Other sessions have been logged out." in browser.get("/account/").get_data(as_text=True)
    assert _logged_in(browser)
    assert not _logged_in(elsewhere)
    assert _try_login(app, world.member_gb.email, PASSWORD) == 422
    fresh = app.test_client()
    login(fresh, world.member_gb, RESET_PASSWORD)
    assert _logged_in(fresh)

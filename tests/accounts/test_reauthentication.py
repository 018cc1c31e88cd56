"""The password asked again before changing email or password; the email change confirmed
from the new mailbox."""

import re
from datetime import timedelta

import time_machine
from sqlalchemy import select

from portal.accounts.models import User
from portal.core.db import utcnow
from portal.notifications.models import OutboxMessage
from tests.conftest import csrf_token, post
from tests.factories import PASSWORD
from tests.helpers.bad_input import EMPTY, LONG, check_form
from tests.helpers.mail import send_outbox, text_of
from tests.helpers.rows import count

NEW_ADDRESS = "emily.new@example.org"
WRONG = "The current password is not correct."
INVALID = "Enter a valid email address."


def _ask(browser, email=NEW_ADDRESS, password=PASSWORD):
    data = {"email": email, "current_password": password}
    return post(browser, "/account/email", data, token_from="/account/email")


def _email_of(session, user) -> str:
    session.expire_all()
    return session.get(User, user.id).email


def _try_login(app, email, password=PASSWORD) -> int:
    browser = app.test_client()
    data = {"email": email, "password": password, "csrf_token": csrf_token(browser)}
    return browser.post("/auth/login", data=data).status_code


def _confirmation_link(app, browser) -> str:
    assert _ask(browser).status_code == 302
    (mail,) = send_outbox(app)
    assert mail["To"] == NEW_ADDRESS
    base = app.config["PORTAL_BASE_URL"]
    match = re.search(re.escape(base) + r"(/account/email/confirm/[\w.\-]+)", text_of(mail))
    assert match, text_of(mail)
    return match.group(1)


def test_a_wrong_or_missing_password_changes_no_email_and_sends_nothing(world, session, login_as):
    browser = login_as(world.member_gb)
    wrong = _ask(browser, password="not my password at all")
    assert wrong.status_code == 422
    assert WRONG in wrong.get_data(as_text=True)
    missing = _ask(browser, password="")
    assert missing.status_code == 422
    assert "This field is required." in missing.get_data(as_text=True)
    assert count(session, OutboxMessage) == 0
    assert _email_of(session, world.member_gb) == world.member_gb.email


def test_a_new_address_is_confirmed_from_its_own_mailbox_once(app, world, session, login_as):
    old_address = world.member_gb.email
    browser = login_as(world.member_gb)
    link = _confirmation_link(app, browser)
    assert _email_of(session, world.member_gb) == old_address  # nothing yet

    question = browser.get(link).get_data(as_text=True)
    assert f"Use {NEW_ADDRESS} instead of {old_address}" in question
    assert _email_of(session, world.member_gb) == old_address  # asking changed nothing
    assert post(browser, link, token_from=link).status_code == 302
    assert f"Your email address is now {NEW_ADDRESS}." in browser.get("/account/").get_data(
        as_text=True
    )
    assert _email_of(session, world.member_gb) == NEW_ADDRESS
    notice = session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "security_email_changed")
    ).one()
    assert notice.recipient == old_address  # the owner of the address being left is told
    assert _try_login(app, NEW_ADDRESS) == 302
    assert _try_login(app, old_address) == 422
    assert browser.get(link).status_code == 404  # used once


def test_the_confirmation_link_lasts_one_hour(app, world, session, login_as):
    browser = login_as(world.member_gb)
    link = _confirmation_link(app, browser)
    with time_machine.travel(utcnow() + timedelta(minutes=61), tick=False):
        answer = login_as(world.member_gb).get(link)
        assert answer.status_code == 404
        assert "This confirmation link has already been used, has expired" in answer.get_data(
            as_text=True
        )


def test_the_link_works_only_for_its_own_account(app, world, login_as):
    link = _confirmation_link(app, login_as(world.member_gb))
    assert login_as(world.coordinator_gb).get(link).status_code == 404
    anonymous = app.test_client().get(link)
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
    forged = link[:-4] + ("AAAA" if not link.endswith("AAAA") else "BBBB")
    assert login_as(world.member_gb).get(forged).status_code == 404


def test_an_address_in_use_is_refused(world, session, login_as):
    browser = login_as(world.member_gb)
    taken = _ask(browser, email=world.member_cl.email.upper())
    assert taken.status_code == 422
    assert "Another account uses this address." in taken.get_data(as_text=True)
    own = _ask(browser, email=world.member_gb.email)
    assert "This is already your address." in own.get_data(as_text=True)
    assert count(session, OutboxMessage) == 0


def test_change_email_form(world, session, login_as):
    valid = {"email": NEW_ADDRESS, "current_password": PASSWORD}
    cases = [
        (EMPTY, {}, "This field is required."),
        ("not an address", {"email": "emily at example"}, INVALID),
        ("long", {"email": "a" * 250 + "@example.org"}, "Use at most 254 characters."),
        (
            "CR/LF",
            {"email": "emily@example.org\r\nBcc: x@evil.example"},
            "Enter a valid email address.",
        ),
        ("wrong password", {"current_password": "not the password"}, WRONG),
        ("long password", {"current_password": LONG}, WRONG),
    ]
    written = check_form(session, login_as(world.member_gb), "/account/email", valid, cases)
    assert set(written) == {"outbox_messages", "audit_events"}


def test_wrong_current_passwords_count_towards_the_account_lock(app, world, session, login_as):
    browser = login_as(world.member_gb)
    data = {"password": "another long passphrase", "confirm": "another long passphrase"}
    for _ in range(10):
        data["current_password"] = "a guess at the password"
        post(browser, "/account/password", data, token_from="/account/password")
    assert _try_login(app, world.member_gb.email) == 422  # locked, as after ten failed logins
    data["current_password"] = PASSWORD
    refused = post(browser, "/account/password", data, token_from="/account/password")
    assert refused.status_code == 422
    assert "Too many wrong passwords." in refused.get_data(as_text=True)
    session.expire_all()
    assert session.scalar(select(User.password_hash).where(User.id == world.member_gb.id)) == (
        world.member_gb.password_hash
    )

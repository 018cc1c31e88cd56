"""Security notices (issue 14, item 8): a mail after each change to how a person logs in,
sent whatever their mail choices, in their language, without an unsubscribe link."""

import pyotp
from sqlalchemy import select

from portal.accounts.models import User
from portal.notifications.models import Delivery, NotificationPreference, OutboxMessage
from portal.web.features import mail_categories
from tests.conftest import login, post
from tests.factories import PASSWORD
from tests.helpers.accounts import enrol_through_the_pages, reset_link, set_password
from tests.helpers.mail import send_outbox, text_of

NEW_PASSWORD = "a completely new passphrase 2026"


def _notices(session, user) -> list[OutboxMessage]:
    session.rollback()
    query = select(OutboxMessage).where(
        OutboxMessage.recipient_user_id == user.id, OutboxMessage.kind.startswith("security_")
    )
    return list(session.scalars(query.order_by(OutboxMessage.id)))


def _every_mail_turned_off(app, session, user) -> None:
    for category in mail_categories(app):
        session.add(
            NotificationPreference(user_id=user.id, category=category.name, delivery=Delivery.OFF)
        )
    session.commit()


def test_a_password_change_sends_a_notice_even_with_every_mail_off(app, world, session):
    _every_mail_turned_off(app, session, world.member_cl)
    browser = app.test_client()
    login(browser, world.member_cl)
    data = {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert post(browser, "/account/password", data, "/account/password").status_code == 302
    [notice] = _notices(session, world.member_cl)
    assert notice.kind == "security_password_changed"
    assert notice.recipient == world.member_cl.email
    assert notice.unsubscribe_url is None
    [mail] = send_outbox(app)
    body = text_of(mail)
    assert "La contraseña de su cuenta fue cambiada." in body  # Javiera reads Spanish
    assert "America/Santiago" in body  # when, in her zone
    assert "List-Unsubscribe" not in mail


def test_a_password_reset_sends_a_notice(app, world, session):
    browser = app.test_client()
    link = reset_link(app, browser, world.member_gb)
    assert set_password(browser, link).status_code == 302
    assert [n.kind for n in _notices(session, world.member_gb)] == ["security_password_changed"]


def test_second_factor_changes_each_send_a_notice(app, world, session):
    _every_mail_turned_off(app, session, world.member_gb)
    enrol_through_the_pages(app, world.member_gb)
    browser = app.test_client()
    login(browser, world.member_gb)
    post(browser, "/account/two-factor/recovery-codes", {"password": PASSWORD})
    page = browser.get("/account/two-factor/setup").get_data(as_text=True)
    secret = page.split('<code class="user-select-all">')[1].split("<")[0].replace(" ", "")
    data = {"password": PASSWORD, "code": pyotp.TOTP(secret).now()}
    assert post(browser, "/account/two-factor/setup", data).status_code == 200  # a new device
    browser = app.test_client()
    login(browser, world.member_gb)
    post(browser, "/account/two-factor/disable", {"password": PASSWORD})
    kinds = [n.kind for n in _notices(session, world.member_gb)]
    assert kinds == [
        "security_two_factor_enabled",
        "security_recovery_codes_renewed",
        "security_two_factor_enabled",
        "security_two_factor_disabled",
    ]
    subjects = {n.subject for n in _notices(session, world.member_gb)}
    assert subjects == {"Security notice: a change to your account"}  # Emily reads English


def test_nothing_is_sent_when_the_change_is_refused(app, world, session):
    browser = app.test_client()
    login(browser, world.member_gb)
    data = {"current_password": "wrong", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert post(browser, "/account/password", data, "/account/password").status_code == 422
    assert _notices(session, world.member_gb) == []
    session.rollback()
    assert session.get(User, world.member_gb.id).password_hash == world.member_gb.password_hash


def test_an_email_change_notice_goes_to_the_address_being_left(app, world, session):
    """For the email change (issue 14, item 8), which calls this when it commits."""
    from portal.accounts.notifications import SecurityEvent, send_security_notice
    from portal.core.extensions import db

    _every_mail_turned_off(app, session, world.member_gb)
    with app.test_request_context():
        person = db.session.get(User, world.member_gb.id)
        send_security_notice(
            db.session, person, SecurityEvent.EMAIL_CHANGED, recipient="old.address@example.org"
        )
        db.session.commit()
    [notice] = _notices(session, world.member_gb)
    assert (notice.kind, notice.recipient) == ("security_email_changed", "old.address@example.org")
    assert "The email address of your account was changed." in notice.body_text
    assert notice.unsubscribe_url is None

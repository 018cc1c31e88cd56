"""The second factor (SECURITY 6, 7, 11): the login step, the replay guard, recovery codes."""

from datetime import timedelta

import pyotp
import time_machine
from sqlalchemy import func, select

from portal.accounts import totp
from portal.accounts.models import RecoveryCode, User, UserSession
from portal.accounts.throttle import LoginBlock, login_blocked
from portal.audit.models import AuditEvent
from portal.core.db import utcnow
from tests.conftest import SECOND_FACTOR_PATH, csrf_token, login, post
from tests.factories import PASSWORD, TOTP_SECRET
from tests.helpers.accounts import enrol_through_the_pages, secret_on_the_page

REFUSED = "The code is not correct or was used already"


def _password_step(client, user, password=PASSWORD):
    data = {"email": user.email, "password": password, "csrf_token": csrf_token(client)}
    return client.post("/auth/login", data=data)


def _code_step(client, code):
    data = {"code": code, "csrf_token": csrf_token(client, SECOND_FACTOR_PATH)}
    return client.post(SECOND_FACTOR_PATH, data=data)


def _now_code(secret=TOTP_SECRET) -> str:
    return totp.code_at(secret, totp.time_step(utcnow()))


def _events(session, action) -> int:
    session.rollback()
    return session.scalar(select(func.count()).where(AuditEvent.action == action))


def _sessions(session, user) -> int:
    session.rollback()
    return session.scalar(
        select(func.count()).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    )


def test_coordinator_is_not_logged_in_until_the_code_passes(app, world, session):
    browser = app.test_client()
    answer = _password_step(browser, world.coordinator_cl)
    assert answer.headers["Location"] == SECOND_FACTOR_PATH
    assert browser.get("/").headers["Location"].startswith("/auth/login")  # nobody yet
    assert _sessions(session, world.coordinator_cl) == 0
    pending_cookie = browser.get_cookie("session").value

    answer = _code_step(browser, _now_code())
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    assert browser.get("/").status_code == 200
    assert _sessions(session, world.coordinator_cl) == 1
    assert browser.get_cookie("session").value != pending_cookie  # a new session at completion
    assert _events(session, "login.second_factor") == 1


def test_member_without_second_factor_logs_in_with_the_password_alone(client, world):
    assert _password_step(client, world.member_cl).headers["Location"] == "/"


def test_a_code_is_never_accepted_twice(app, world, session):
    code = _now_code()
    first = app.test_client()
    _password_step(first, world.coordinator_gb)
    assert _code_step(first, code).status_code == 302
    replay = app.test_client()  # the same code, within its 30 seconds, from elsewhere
    _password_step(replay, world.coordinator_gb)
    refused = _code_step(replay, code)
    assert refused.status_code == 422
    assert REFUSED in refused.get_data(as_text=True)
    assert replay.get("/").status_code == 302
    assert _events(session, "login.second_factor_failed") == 1


def test_an_older_code_is_refused_once_a_newer_one_was_used(app, world):
    step = totp.time_step(utcnow())
    browser = app.test_client()
    _password_step(browser, world.coordinator_gb)
    assert _code_step(browser, totp.code_at(TOTP_SECRET, step + 1)).status_code == 302
    other = app.test_client()
    _password_step(other, world.coordinator_gb)
    assert _code_step(other, totp.code_at(TOTP_SECRET, step)).status_code == 422


def test_wrong_codes_count_as_failed_logins_and_lock_the_account(app, world, session):
    browser = app.test_client()
    _password_step(browser, world.coordinator_cl)
    for _ in range(10):
        assert _code_step(browser, "000000").status_code == 422
    locked = _code_step(browser, _now_code())  # the right code, now that the account is locked
    assert locked.status_code == 422
    assert REFUSED in locked.get_data(as_text=True)  # the same words: nothing is revealed
    with app.test_request_context():
        blocked = login_blocked(account=world.coordinator_cl.email, address="127.0.0.1")
    assert blocked is LoginBlock.ACCOUNT
    assert browser.get("/").status_code == 302


def test_the_code_step_without_the_password_step_goes_to_the_login_page(client, world):
    assert client.get(SECOND_FACTOR_PATH).headers["Location"] == "/auth/login"
    response = post(client, SECOND_FACTOR_PATH, {"code": _now_code()}, token_from="/auth/login")
    assert response.headers["Location"] == "/auth/login"


def test_the_pending_state_lasts_five_minutes(app, world):
    browser = app.test_client()
    _password_step(browser, world.coordinator_cl)
    token = csrf_token(browser, SECOND_FACTOR_PATH)
    with time_machine.travel(utcnow() + timedelta(minutes=6), tick=False):
        data = {"code": _now_code(), "csrf_token": token}
        late = browser.post(SECOND_FACTOR_PATH, data=data)
    assert late.headers["Location"] == "/auth/login"
    assert browser.get("/").status_code == 302


def test_a_recovery_code_works_once(app, world, session):
    codes = enrol_through_the_pages(app, world.member_gb)
    first = app.test_client()
    _password_step(first, world.member_gb)
    assert _code_step(first, codes[3].upper().replace("-", " ")).status_code == 302
    again = app.test_client()
    _password_step(again, world.member_gb)
    assert _code_step(again, codes[3]).status_code == 422
    assert _events(session, "two_factor.recovery_code_used") == 1


def test_recovery_codes_are_stored_hashed(app, world, session):
    codes = enrol_through_the_pages(app, world.member_gb)
    stored = set(session.scalars(select(RecoveryCode.code_hash)))
    assert len(codes) == len(set(codes)) == len(stored) == 10
    assert not stored & {c for code in codes for c in (code, totp.clean_code(code))}


def test_the_login_helper_logs_the_same_person_in_three_times_in_a_row(app, world, login_as):
    browsers = [login_as(world.coordinator_cl) for _ in range(3)]
    assert [b.get("/").status_code for b in browsers] == [200, 200, 200]


# Enrolment -------------------------------------------------------------------------------


def test_set_up_page_shows_a_qr_code_drawn_here_and_the_key_as_text(app, world):
    browser = app.test_client()
    login(browser, world.member_cl)
    page = browser.get("/account/two-factor/setup").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page
    assert len(secret_on_the_page(page).replace(" ", "")) == 32
    again = browser.get("/account/two-factor/setup").get_data(as_text=True)
    assert secret_on_the_page(again) == secret_on_the_page(page)  # the same key until enrolled


def test_set_up_asks_the_password_and_a_code_from_the_app(app, world, session):
    browser = app.test_client()
    login(browser, world.member_cl)
    page = browser.get("/account/two-factor/setup").get_data(as_text=True)
    secret = secret_on_the_page(page).replace(" ", "")
    path = "/account/two-factor/setup"
    wrong_password = post(browser, path, {"password": "not it", "code": pyotp.TOTP(secret).now()})
    assert wrong_password.status_code == 422
    assert "La contraseña no es correcta." in wrong_password.text  # Javiera reads Spanish
    wrong_code = post(browser, path, {"password": PASSWORD, "code": "000000"})
    assert wrong_code.status_code == 422
    assert "Este código no coincide." in wrong_code.text
    session.rollback()
    assert session.get(User, world.member_cl.id).totp_enabled_at is None


def test_set_up_turns_it_on_with_ten_codes_a_new_session_and_a_notice(app, world, session):
    elsewhere = app.test_client()
    login(elsewhere, world.member_cl)
    codes = enrol_through_the_pages(app, world.member_cl)
    assert len(codes) == 10
    session.rollback()
    user = session.get(User, world.member_cl.id)
    assert user.has_second_factor
    assert _events(session, "two_factor.enabled") == 1
    assert elsewhere.get("/").status_code == 302  # other sessions end when the factor changes
    next_login = app.test_client()
    assert _password_step(next_login, world.member_cl).headers["Location"] == SECOND_FACTOR_PATH


def test_a_coordinator_must_enrol_before_anything_else(app, world, session):
    from tests.factories import make_user

    newcomer = make_user(session, world.gb, world.coordinator_gb.role, second_factor=False)
    session.commit()
    browser = app.test_client()
    assert _password_step(browser, newcomer).headers["Location"] == "/"
    assert browser.get("/").headers["Location"] == "/account/two-factor/setup"
    assert browser.get("/account/two-factor/setup").status_code == 200
    page = browser.get("/account/two-factor/setup").get_data(as_text=True)
    assert "Set it up to continue." in page
    secret = secret_on_the_page(page).replace(" ", "")
    data = {"password": PASSWORD, "code": pyotp.TOTP(secret).now()}
    done = post(browser, "/account/two-factor/setup", data, "/account/two-factor/setup")
    assert done.status_code == 200
    assert browser.get("/").status_code == 200


def test_only_people_who_may_go_without_it_can_turn_it_off(app, world, session):
    enrol_through_the_pages(app, world.member_gb)
    member = app.test_client()
    login(member, world.member_gb)
    off = post(member, "/account/two-factor/disable", {"password": PASSWORD})
    assert off.headers["Location"] == "/account/two-factor"
    session.rollback()
    assert not session.get(User, world.member_gb.id).has_second_factor
    assert session.scalar(select(func.count()).select_from(RecoveryCode)) == 0

    coordinator = app.test_client()
    login(coordinator, world.coordinator_gb)
    page = coordinator.get("/account/two-factor").get_data(as_text=True)
    assert "it cannot be turned off" in page
    refused = post(coordinator, "/account/two-factor/disable", {"password": PASSWORD})
    assert refused.status_code == 403
    session.rollback()
    assert session.get(User, world.coordinator_gb.id).has_second_factor


def test_new_recovery_codes_ask_the_password_and_replace_the_old_ones(app, world, session):
    old = enrol_through_the_pages(app, world.member_gb)
    browser = app.test_client()
    login(browser, world.member_gb)
    path = "/account/two-factor/recovery-codes"
    assert post(browser, path, {"password": "wrong one"}).status_code == 422
    renewed = post(browser, path, {"password": PASSWORD})
    assert renewed.status_code == 200
    assert "Your recovery codes" in renewed.text
    assert _events(session, "two_factor.recovery_codes_renewed") == 1
    stale = app.test_client()
    _password_step(stale, world.member_gb)
    assert _code_step(stale, old[0]).status_code == 422

from datetime import timedelta

from sqlalchemy import func, select

from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.core.db import utcnow
from tests.conftest import csrf_token, login, post
from tests.factories import PASSWORD

GENERIC_FAILURE = "The email or password is not correct"


def _attempt(client, email, password):
    return client.post(
        "/auth/login", data={"email": email, "password": password, "csrf_token": csrf_token(client)}
    )


def _events(session, action):
    return session.scalar(select(func.count()).where(AuditEvent.action == action))


def test_login_then_dashboard_shows_the_party_mous(client, world, session):
    response = login(client, world.member_cl)
    assert response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "MdE CL–GB" in page  # the member's language is Spanish
    assert "Grupo de Trabajo Binacional" in page
    assert "MdE Chile–Colombia" in page  # Chile is a party there too
    assert _events(session, "login") == 1


def test_email_is_case_insensitive(client, world):
    response = _attempt(client, world.member_gb.email.upper(), PASSWORD)
    assert response.status_code == 302


def test_wrong_password_and_unknown_address_answer_alike(client, world, session):
    wrong = _attempt(client, world.member_gb.email, "not the password at all")
    unknown = _attempt(client, "nobody@example.org", "not the password at all")
    assert wrong.status_code == unknown.status_code == 422
    assert GENERIC_FAILURE in wrong.get_data(as_text=True)
    assert GENERIC_FAILURE in unknown.get_data(as_text=True)
    assert _events(session, "login.failed") == 2


def test_next_only_accepts_local_paths(app, world):
    def login_with_next(target):
        browser = app.test_client()
        data = {
            "email": world.member_gb.email,
            "password": PASSWORD,
            "csrf_token": csrf_token(browser),
        }
        return browser.post("/auth/login", query_string={"next": target}, data=data)

    for evil in ("//evil.example", "https://evil.example/", "/\\evil.example", "///evil.example"):
        assert login_with_next(evil).headers["Location"] == "/", evil
    assert login_with_next("/mous/").headers["Location"] == "/mous/"


def test_login_without_csrf_is_refused(client, world):
    response = client.post(
        "/auth/login", data={"email": world.member_gb.email, "password": PASSWORD}
    )
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_logout_needs_post_with_csrf(client, world):
    login(client, world.member_gb)
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 400
    assert client.get("/").status_code == 200
    assert post(client, "/auth/logout", token_from="/").status_code == 302
    assert client.get("/").status_code == 302


def test_copied_cookie_stops_working_after_logout(app, world):
    browser = app.test_client()
    login(browser, world.member_gb)
    thief = app.test_client()
    cookie = browser.get_cookie("session")
    thief.set_cookie("session", cookie.value)
    assert thief.get("/").status_code == 200
    post(browser, "/auth/logout", token_from="/")
    assert thief.get("/").status_code == 302


def test_session_token_changes_at_login(app, world):
    browser = app.test_client()
    csrf_token(browser)
    before = browser.get_cookie("session").value
    login(browser, world.member_gb)
    assert browser.get_cookie("session").value != before


def test_idle_and_absolute_timeouts(app, world, session):
    from portal.accounts.models import UserSession

    browser = app.test_client()
    login(browser, world.member_gb)
    row = session.scalars(select(UserSession)).one()
    row.last_seen_at = utcnow() - timedelta(minutes=31)
    session.commit()
    assert browser.get("/").status_code == 302

    login(browser, world.member_gb)
    row = session.scalars(select(UserSession).where(UserSession.ended_at.is_(None))).one()
    row.created_at = utcnow() - timedelta(hours=12, minutes=1)
    session.commit()
    assert browser.get("/").status_code == 302


def test_inactive_account_cannot_log_in(client, world, session):
    world.member_gb.is_active = False
    session.commit()
    assert _attempt(client, world.member_gb.email, PASSWORD).status_code == 422


def test_session_cookie_flags(client, world):
    response = login(client, world.member_gb)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_a_hash_with_old_parameters_is_upgraded_at_login(client, world, session):
    from argon2 import PasswordHasher

    old_hash = PasswordHasher(time_cost=2, memory_cost=4096, parallelism=1).hash(PASSWORD)
    world.member_gb.password_hash = old_hash
    session.commit()
    assert _attempt(client, world.member_gb.email, PASSWORD).status_code == 302
    session.expire_all()
    new_hash = session.get(User, world.member_gb.id).password_hash
    assert new_hash != old_hash
    assert new_hash.startswith("$argon2id$")

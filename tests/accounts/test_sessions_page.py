"""The person's sessions page: where they are signed in, signing one or all others out."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.accounts.devices import device_name
from portal.accounts.models import UserSession
from portal.audit.models import AuditEvent
from portal.core.db import utcnow
from tests.conftest import login, post

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)


def _browser(app, user, *, agent=FIREFOX_WINDOWS, address="192.0.2.10"):
    browser = app.test_client()
    browser.environ_base.update({"HTTP_USER_AGENT": agent, "REMOTE_ADDR": address})
    login(browser, user)
    return browser


def _logged_in(browser) -> bool:
    return browser.get("/account/").status_code == 200


def _live(session, user) -> list[UserSession]:
    session.expire_all()
    query = select(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)
    )
    return list(session.scalars(query.order_by(UserSession.id)))


def _rows(page: str) -> list[str]:
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in body.split("<tr>")[1:]
    ]


def test_the_page_lists_each_live_session_with_device_address_and_last_use(app, world, session):
    world.member_gb.timezone = "Asia/Tokyo"
    session.commit()
    laptop = _browser(app, world.member_gb)
    _browser(app, world.member_gb, agent=SAFARI_IPHONE, address="2001:db8::7")
    ended = _browser(app, world.member_gb, agent="curl/8.0", address="198.51.100.9")
    post(ended, "/auth/logout", token_from="/")
    asleep = _browser(app, world.member_gb, agent="Wget/1.21", address="198.51.100.10")
    row = _live(session, world.member_gb)[-1]
    row.last_seen_at = utcnow() - timedelta(minutes=31)
    session.commit()
    _browser(app, world.member_cl, address="203.0.113.50")  # someone else's

    page = laptop.get("/account/sessions").get_data(as_text=True)
    rows = _rows(page)
    assert len(rows) == 2
    assert rows[0].startswith("Firefox on Windows This browser 192.0.2.10")
    assert rows[1].startswith("Mobile Safari on iOS 2001:db8::7")
    assert "(Asia/Tokyo)" in rows[0]
    assert "Sign out" in rows[1] and "Sign out" not in rows[0]
    for absent in ("198.51.100.9", "198.51.100.10", "203.0.113.50", "curl", "Wget"):
        assert absent not in page
    assert "Sign out everywhere else" in page
    assert asleep.get("/account/").status_code == 302


def test_the_page_speaks_the_readers_language(app, world):
    browser = _browser(app, world.member_cl)  # reads Spanish
    page = browser.get("/account/sessions").get_data(as_text=True)
    assert "Firefox en Windows" in page
    assert "Este navegador" in page
    assert "(America/Santiago)" in page


def test_signing_out_one_session_stops_a_copied_cookie_of_it(app, world, session):
    laptop = _browser(app, world.member_gb)
    phone = _browser(app, world.member_gb, agent=SAFARI_IPHONE)
    thief = app.test_client()
    thief.set_cookie("session", phone.get_cookie("session").value)
    assert _logged_in(thief)
    phone_session = _live(session, world.member_gb)[-1]

    response = post(
        laptop, f"/account/sessions/{phone_session.id}/end", token_from="/account/sessions"
    )
    assert response.status_code == 302
    assert "That session has been signed out." in laptop.get("/account/sessions").get_data(
        as_text=True
    )
    assert not _logged_in(thief)
    assert not _logged_in(phone)
    assert _logged_in(laptop)
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "session.ended")).one()
    assert (event.actor_id, event.object_id) == (world.member_gb.id, str(phone_session.id))


def test_signing_out_needs_a_post_with_its_csrf_token(app, world, session):
    laptop = _browser(app, world.member_gb)
    _browser(app, world.member_gb, agent=SAFARI_IPHONE)
    phone_session = _live(session, world.member_gb)[-1]
    path = f"/account/sessions/{phone_session.id}/end"
    assert laptop.get(path).status_code == 405
    assert laptop.post(path).status_code == 400
    assert laptop.post("/account/sessions/end-others").status_code == 400
    assert len(_live(session, world.member_gb)) == 2


def test_everywhere_else_asks_first_then_keeps_only_this_browser(app, world, session):
    laptop = _browser(app, world.member_gb)
    others = [_browser(app, world.member_gb, agent=SAFARI_IPHONE) for _ in range(2)]
    colleague = _browser(app, world.member_cl)

    question = laptop.get("/account/sessions/end-others").get_data(as_text=True)
    assert "2 other sessions will be signed out. This browser stays signed in." in question
    assert len(_live(session, world.member_gb)) == 3  # asking changed nothing

    response = post(
        laptop, "/account/sessions/end-others", token_from="/account/sessions/end-others"
    )
    assert response.status_code == 302
    assert "2 other sessions have been signed out." in laptop.get("/account/sessions").get_data(
        as_text=True
    )
    assert [_logged_in(b) for b in others] == [False, False]
    assert _logged_in(laptop) and _logged_in(colleague)
    (left,) = _live(session, world.member_gb)
    assert left.user_agent == FIREFOX_WINDOWS


def test_alone_there_is_nothing_else_to_sign_out(app, world):
    laptop = _browser(app, world.member_gb)
    assert "Sign out everywhere else" not in laptop.get("/account/sessions").get_data(as_text=True)
    page = laptop.get("/account/sessions/end-others").get_data(as_text=True)
    assert "You are not signed in anywhere else." in page


def test_a_long_or_missing_user_agent_is_stored_cut_and_named_honestly(app, world, session):
    browser = _browser(app, world.member_gb, agent="x" * 5000)
    _browser(app, world.member_gb, agent="")
    stored = [row.user_agent for row in _live(session, world.member_gb)]
    assert stored == ["x" * 300, None]
    page = browser.get("/account/sessions").get_data(as_text=True)
    assert page.count("An unknown browser") == 2


@pytest.mark.parametrize(
    ("agent", "name"),
    [
        (FIREFOX_WINDOWS, "Firefox on Windows"),
        (SAFARI_IPHONE, "Mobile Safari on iOS"),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Mobile Safari/537.36",
            "Chrome Mobile on Android",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/18.1 Safari/605.1.15",
            "Safari on Mac OS X",
        ),
        ("curl/8.5.0", "curl"),
        ("<script>alert(1)</script>", "An unknown browser"),
        (None, "An unknown browser"),
    ],
)
def test_device_names(app_context, agent, name):
    assert device_name(agent) == name

"""What a delegation member does first, in a real browser with JavaScript on."""

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.one_backend  # a browser's run: once (tests/browser/conftest.py)


def log_in(page, base, user):
    page.goto(f"{base}/auth/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button.btn-primary")


def test_member_logs_in_reads_the_mou_in_spanish_and_logs_out(live_server, page, world):
    log_in(page, live_server, world.member_gb)
    assert page.locator("h1").inner_text() == "Welcome, Emily Clarke"

    page.click("text=Español")
    assert page.locator("h1").inner_text() == "Bienvenido(a), Emily Clarke"

    page.get_by_role("link", name=world.mou.title_es, exact=True).click()
    assert page.locator("h1").inner_text() == world.mou.title_es
    assert "11 de septiembre de 2019" in page.content()

    page.locator("summary.account-name").click()  # the account's menu opens
    page.click("text=Cerrar sesión")
    assert page.url.endswith("/auth/login")
    assert "Ha cerrado sesión." in page.content()  # still in the language the person chose
    page.goto(f"{live_server}/mous/{world.mou.id}")
    assert "/auth/login" in page.url


def test_wrong_password_shows_the_message_next_to_the_form(live_server, page, world):
    page.goto(f"{live_server}/auth/login")
    page.fill("input[name=email]", world.member_gb.email)
    page.fill("input[name=password]", "not the right one at all")
    page.click("form button.btn-primary")
    assert page.locator(".alert-danger").is_visible()
    assert "/auth/login" in page.url


def test_pages_load_no_resource_from_outside(live_server, page, world):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    log_in(page, live_server, world.member_gb)
    page.goto(f"{live_server}/working-groups/{world.group.id}")
    assert requested
    assert all(url.startswith(live_server) for url in requested), requested

"""On a phone (390×844): no page scrolls sideways, the menu opens without JavaScript, and a
refused form puts the reader on its error summary. On a laptop (1280 px) a coordinator's bar
holds on one line in both languages."""

import pytest
from playwright.sync_api import expect

from tests.helpers.browser import (
    PHONE,
    log_in,
    portal_pages,
    scrolls_sideways,
    serious_violations,
    visit_in_both_languages,
)

pytestmark = pytest.mark.one_backend  # a browser's run: once (tests/browser/conftest.py)


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(locale="en-GB", viewport=PHONE)
    yield context.new_page()
    context.close()


# What axe finds only on a narrow screen: boxes that scroll, and what is hidden or reflowed.
PHONE_RULES = ["scrollable-region-focusable", "color-contrast", "target-size", "meta-viewport"]


@pytest.fixture
def phone_without_script(chromium):
    context = chromium.new_context(locale="en-GB", viewport=PHONE, java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_no_page_scrolls_sideways_on_a_phone(app, live_server, chromium, world, session, login_as):
    """Every page of the accessibility test (tests/helpers/browser.py, portal_pages), as its
    reader, in both languages; axe-core checks at this size what only this size shows (a
    table that scrolls in its box must be reachable by keyboard); the whole of axe runs at
    the desktop size (test_accessibility.py)."""
    pages = portal_pages(app, world, session, login_as)

    def sideways(page):
        wide = ["scrolls sideways"] if scrolls_sideways(page) else []
        return wide + serious_violations(page, PHONE_RULES)

    wide = visit_in_both_languages(chromium, live_server, app, world, pages, PHONE, sideways)
    assert wide == []


def test_the_menu_opens_without_javascript(live_server, phone_without_script, world):
    page = phone_without_script
    log_in(page, live_server, world.member_gb)
    actions = page.get_by_role("link", name="Action items", exact=True)
    assert not actions.is_visible()
    page.click("label[for=navbar-toggle]")
    assert actions.is_visible()
    actions.click()
    page.wait_for_url(f"{live_server}/actions/")
    assert page.locator('.portal-navbar a[aria-current="page"]').inner_text() == "Action items"


def test_a_refused_form_puts_the_reader_on_its_error_summary(live_server, phone, world):
    phone.goto(f"{live_server}/auth/login")
    phone.click("form button.btn-primary")
    expect(phone.locator("#error-summary")).to_be_focused()  # autofocus runs after the load
    phone.click("#error-summary a[href='#email']")
    expect(phone.locator("input[name=email]")).to_be_focused()
    assert not scrolls_sideways(phone)


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_coordinators_bar_holds_on_one_line_at_1280(
    app, live_server, chromium, world, session, language
):
    world.coordinator_cl.language = language
    session.commit()
    context = chromium.new_context(locale="en-GB", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    log_in(page, live_server, world.coordinator_cl, app)
    tops = page.evaluate(
        "[...document.querySelectorAll('.navbar-brand, .portal-navbar .nav-item, "
        ".portal-navbar button')].map(e => e.getBoundingClientRect().top)"
    )
    context.close()
    assert max(tops) - min(tops) < 20, tops  # a second line would start 40 px lower

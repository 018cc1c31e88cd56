"""The month calendar in a real browser: on a phone (390×844, no JavaScript) a list of the
days that have entries, each entry with its whole range and no sideways scroll; on a laptop
the grid, each kind of entry labelled in words."""

from datetime import UTC, date, datetime

import pytest

from tests.factories import PASSWORD, make_action, make_meeting, make_training

pytestmark = pytest.mark.one_backend  # a browser's run: once (tests/browser/conftest.py)

PHONE = {"width": 390, "height": 844}
MONTH = "/calendar?month=2026-12"


@pytest.fixture
def phone_without_script(chromium):
    context = chromium.new_context(locale="en-GB", viewport=PHONE, java_script_enabled=False)
    yield context.new_page()
    context.close()


def _log_in(page, base, user):
    page.goto(f"{base}/auth/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button.btn-primary")
    page.wait_for_url(f"{base}/")


def _plan(session, world):
    long_title = "Quarterly review of the binational incident response playbook and its annexes"
    make_meeting(session, world.group, datetime(2026, 12, 9, 14, tzinfo=UTC), title_en=long_title)
    make_training(session, world.mou, datetime(2026, 12, 11, 13, tzinfo=UTC), hours=1.5)
    make_action(session, world.group, [world.member_gb], date(2026, 12, 15), title="Send report")
    session.commit()


def test_on_a_phone_the_month_is_a_list_of_days(live_server, phone_without_script, world, session):
    _plan(session, world)
    page = phone_without_script
    _log_in(page, live_server, world.member_gb)
    page.goto(live_server + MONTH)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The grid's header and its empty days are gone; each day with entries names itself.
    assert not page.locator("table.calendar-month thead th").first.is_visible()
    assert not page.locator("td.calendar-empty").first.is_visible()
    days = page.locator(".calendar-day-name")
    assert [days.nth(i).inner_text() for i in range(days.count())] == [
        "Wed 9 Dec 2026",
        "Fri 11 Dec 2026",
        "Tue 15 Dec 2026",
    ]
    assert page.get_by_text("Fri 11 Dec 2026, 13:00–14:30 London").is_visible()
    assert not page.locator(".calendar-times").first.is_visible()
    # The days follow one another down the page, each as wide as the screen.
    boxes = [days.nth(i).bounding_box() for i in range(days.count())]
    assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"]


def test_on_a_laptop_the_month_is_a_grid_with_each_kind_named(live_server, page, world, session):
    _plan(session, world)
    page.set_viewport_size({"width": 1280, "height": 800})
    _log_in(page, live_server, world.member_gb)
    page.goto(live_server + MONTH)
    assert page.locator("table.calendar-month thead th").first.is_visible()
    assert not page.locator(".calendar-day-name").first.is_visible()
    for kind, label in (("meeting", "MEETING"), ("training", "TRAINING"), ("due", "DUE DATE")):
        entry = page.locator(f".calendar-{kind} .calendar-kind").first
        assert entry.inner_text() == label  # upper-cased by the style sheet

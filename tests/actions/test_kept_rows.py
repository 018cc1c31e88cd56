"""The default list (no group chosen) is read for each reader and its markup kept under the
rows read (views._results_html, "action-rows"): an item changed, an owner renamed, a day
passing or another reader's rows give other markup, never the kept one."""

import re
from datetime import UTC, date, datetime, timedelta

import time_machine

from portal.mous.models import Membership
from tests.factories import make_action

TODAY = date.today()
OVERDUE = 'text-bg-danger">Overdue'


CSRF_TOKEN = re.compile(r'name="csrf_token" value="[^"]*"')


def _list(browser, query: str = "") -> str:
    response = browser.get(f"/actions/{query}")
    assert response.status_code == 200
    return CSRF_TOKEN.sub("", response.get_data(as_text=True))  # signed with the second


def _kept(browser, query: str = "") -> str:
    _list(browser, query)  # the first page after logging in is not kept (the login is written)
    kept = _list(browser, query)
    assert _list(browser, query) == kept
    return kept


def test_an_item_or_its_owner_changed_shows_at_once(world, session, login_as):
    item = make_action(session, world.group, [world.member_cl], TODAY + timedelta(3), title="Patch")
    world.member_gb.language = "en"
    session.commit()
    browser = login_as(world.member_gb)
    assert "Patch" in _kept(browser)
    item.title_en = "Patch the mail servers"
    session.commit()
    assert "Patch the mail servers" in _list(browser)
    world.member_cl.name = "Javiera Soto Pérez"
    session.commit()
    assert "Javiera Soto Pérez" in _list(browser)


def test_an_item_due_today_is_overdue_after_midnight(world, session, login_as):
    """Midnight on the reader's clock: Emily's, in London, on British summer time (UTC+1)."""
    due = date(2031, 5, 5)
    make_action(session, world.group, [world.member_cl], due, title="Due today")
    world.member_gb.language = "en"
    session.commit()
    evening = datetime(2031, 5, 5, 22, 50, tzinfo=UTC)  # 23:50 in London
    with time_machine.travel(evening, tick=False):
        browser = login_as(world.member_gb)
        assert OVERDUE not in _kept(browser)
    with time_machine.travel(evening + timedelta(minutes=20), tick=False):
        assert OVERDUE in _list(browser)


def test_a_reader_of_other_items_never_gets_the_kept_markup(world, session, login_as):
    make_action(session, world.group, [world.member_gb], TODAY + timedelta(3), title="UK only")
    for person in (world.member_gb, world.member_co):
        person.language, person.timezone = "en", "UTC"
    session.commit()
    assert "UK only" in _kept(login_as(world.member_gb))
    assert "UK only" not in _kept(login_as(world.member_co))


def test_each_language_has_its_own_markup(world, session, login_as):
    make_action(session, world.group, [world.member_cl], TODAY + timedelta(3), title="Bilingual")
    world.member_cl.language, world.member_cl.timezone = "en", "UTC"
    session.commit()
    browser = login_as(world.member_cl)
    assert "Due date" in _kept(browser)
    world.member_cl.language = "es"
    session.commit()
    assert "Due date" not in _list(browser)


def test_a_group_joined_or_an_item_owned_elsewhere_shows_at_once(world, session, login_as):
    """The markup is kept under the versions of every group whose items the reader may see
    and whether they read it (filter_choices.scope): an item they come to own in a group
    they do not read, and a group they join, show on the next view."""
    outsider = world.member_cl_outside_group
    outsider.language = "en"
    make_action(session, world.group, [world.member_cl], TODAY + timedelta(3), title="Group's")
    session.commit()
    browser = login_as(outsider)
    assert "Group&#39;s" not in _kept(browser)
    make_action(session, world.group, [outsider], TODAY + timedelta(4), title="Now theirs")
    session.commit()  # by another process
    page = _list(browser)
    assert "Now theirs" in page and "Group&#39;s" not in page
    session.add(Membership(working_group=world.group, user_id=outsider.id))
    session.commit()
    assert "Group&#39;s" in _list(browser)

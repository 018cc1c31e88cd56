"""The MoU's and the working group's pages kept whole for each reader
(portal/mous/kept_pages.py): a kept page is found with one short statement and is the page
made anew; every table the page and its panels read raises the counter it is kept under, and
a change made through another session (as another server process would) shows at once."""

import re
from datetime import timedelta
from functools import partial

import pytest
from sqlalchemy import select

from portal.core.db import utcnow
from portal.core.kept import KeptGeneration
from portal.main.kept_pages import GENERATION
from portal.mous.kept_pages import NAME, PAGES
from tests.factories import make_action, make_meeting, make_user
from tests.helpers.statements import assert_kept, count_statements, tables_raising, tables_read

# Form tokens are signed with the second: two pages made a second apart differ in them only
# (the navigation bar's language form writes no type before its value).
CSRF = re.compile(r'name="(csrf_token|submission_token)"(?: type="hidden")? value="[^"]*"')
# Read for the reader alone (their session, first), and the counter itself.
NOT_DECLARED = {"user_sessions", "kept_generations"}
READERS = ("member_gb", "coordinator_gb")


def _page(browser, path: str) -> str:
    response = browser.get(path)
    assert response.status_code == 200
    return CSRF.sub("", response.get_data(as_text=True))


def _paths(world) -> list[str]:
    return [f"/mous/{world.mou.id}", f"/working-groups/{world.group.id}"]


@pytest.mark.parametrize("reader", READERS)
def test_a_kept_page_is_found_in_one_statement_and_is_the_page_made_anew(
    app, world, session, login_as, reader
):
    make_meeting(session, world.group, utcnow() + timedelta(days=2), title_en="Sync")
    session.commit()
    browser = login_as(getattr(world, reader))
    for path in _paths(world):
        _page(browser, path)  # the first page after logging in is not kept (the login is written)
        kept = assert_kept(app, partial(_page, browser, path), PAGES.name)
        assert "Sync" in kept or path.startswith("/mous/")


@pytest.mark.parametrize("reader", READERS)
def test_every_table_the_pages_read_raises_their_counter(app, world, session, login_as, reader):
    make_action(session, world.group, [world.member_gb], utcnow().date())
    session.commit()
    browser = login_as(getattr(world, reader))
    for path in _paths(world):
        app.extensions.pop(PAGES.name, None)
        with count_statements(app) as statements:
            _page(browser, path)
        read = tables_read(statements)
        assert "meetings" in read or "mous" in read, path
        assert read - tables_raising(GENERATION) - NOT_DECLARED == set(), path
        # The changes of a person that raise nothing are read by no page (after the reader's
        # session and account, first).
        page_statements = " ".join(statements[1:])
        for raises in GENERATION.raised_by:
            assert not any(field in page_statements for field in raises.unshown), path


def test_changes_through_another_session_show_at_once(world, session, login_as):
    member, coordinator = login_as(world.member_gb), login_as(world.coordinator_gb)
    group_path = f"/working-groups/{world.group.id}"
    for browser in (member, coordinator):
        for path in _paths(world):
            _page(browser, path)
            _page(browser, path)
    make_meeting(session, world.group, utcnow() + timedelta(days=2), title_en="Planning call")
    session.commit()
    for browser in (member, coordinator):
        assert "Planning call" in _page(browser, group_path)
    newcomer = make_user(session, world.gb, name="Newton Newcomer")
    session.commit()
    assert "Newton Newcomer" in _page(coordinator, group_path)  # someone they may add
    newcomer.name = "Newton Renamed"
    session.commit()
    assert "Newton Renamed" in _page(coordinator, group_path)
    world.group.name_en = "Incident response, renamed"
    session.commit()
    for browser in (member, coordinator):
        assert "Incident response, renamed" in _page(browser, f"/mous/{world.mou.id}")
        assert "Incident response, renamed" in _page(browser, group_path)


def test_a_login_leaves_the_pages_kept_and_a_new_name_does_not(world, session, login_as):
    def counter() -> int:
        session.expire_all()
        return session.scalar(select(KeptGeneration.generation).where(KeptGeneration.name == NAME))

    before = counter()
    login_as(world.member_cl)  # writes their last login
    login_as(world.coordinator_gb)  # and a coordinator's second factor
    assert counter() == before
    world.member_cl.name = "Javiera Soto Renamed"
    session.commit()
    assert counter() == before + 1
    person = make_user(session, world.cl)
    session.commit()
    assert counter() == before + 2
    session.delete(person)
    session.commit()
    assert counter() == before + 3

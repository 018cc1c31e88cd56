"""The working-group page (portal/mous/group_page.py): kept once rendered, yet every change it
shows appears at once; those who manage members get their own controls, with fresh tokens."""

import re
from datetime import date

from sqlalchemy import event

from portal.core.extensions import db
from portal.mous.models import Membership
from tests.factories import make_action, make_user

TOKEN = re.compile(r'name="(csrf_token|submission_token)" type="hidden" value="([^"]+)"')


def _page(browser, group_id: int) -> str:
    response = browser.get(f"/working-groups/{group_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_changes_to_what_the_page_shows_appear_at_once(world, session, login_as):
    browser = login_as(world.member_gb)
    path_id = world.group.id
    assert "Javiera Soto" in _page(browser, path_id)
    assert "Javiera Soto" in _page(browser, path_id)  # the kept page
    world.member_cl.name = "Javiera Soto Pérez"
    world.group.mandate_en = "Share indicators of compromise within the hour."
    session.commit()
    page = _page(browser, path_id)
    assert "Javiera Soto Pérez" in page
    assert "Share indicators of compromise within the hour." in page
    newcomer = make_user(session, world.gb, name="Oliver Newcomer", email="new.gb@example.org")
    session.add(Membership(working_group=world.group, user=newcomer))
    session.commit()
    assert "Oliver Newcomer" in _page(browser, path_id)
    world.gb.name_en = "United Kingdom of Great Britain and Northern Ireland"
    world.mou.title_en = "MoU renamed"
    session.commit()
    page = _page(browser, path_id)
    assert "United Kingdom of Great Britain and Northern Ireland" in page
    assert "MoU renamed" in page


def test_the_action_button_is_the_readers_own(world, session, login_as):
    """Members create items, observers only read: the same kept content is not shared."""
    member = _page(login_as(world.member_gb), world.group.id)
    observer = _page(login_as(world.observer_gb), world.group.id)
    assert f"/working-groups/{world.group.id}/actions/new" in member
    assert f"/working-groups/{world.group.id}/actions/new" not in observer


def test_coordinators_get_their_controls(world, login_as):
    page = _page(login_as(world.coordinator_gb), world.group.id)
    assert "Add a member" in page
    assert "/remove" in page
    reader = _page(login_as(world.member_gb), world.group.id)
    assert "Add a member" not in reader
    assert "/remove" not in reader


def _remove_url(world, person) -> str:
    membership = next(m for m in world.group.memberships if m.user_id == person.id)
    return f"/working-groups/{world.group.id}/members/{membership.id}/remove"


def test_each_manager_gets_the_controls_of_their_own_rights(world, login_as):
    """Pages kept for one manager are not served to another with other rights."""
    for reader in (world.coordinator_cl, world.coordinator_gb, world.admin, world.member_cl):
        _page(login_as(reader), world.group.id)  # kept for each
    chilean = _page(login_as(world.coordinator_cl), world.group.id)
    british = _page(login_as(world.coordinator_gb), world.group.id)
    admin = _page(login_as(world.admin), world.group.id)
    assert _remove_url(world, world.member_cl) in chilean
    assert _remove_url(world, world.member_gb) not in chilean
    assert _remove_url(world, world.member_gb) in british
    assert _remove_url(world, world.member_cl) not in british
    assert (
        _remove_url(world, world.member_cl) in admin
        and _remove_url(world, world.member_gb) in admin
    )
    edit = f"/working-groups/{world.group.id}/edit"
    assert edit in admin and edit not in chilean and edit not in british


def test_a_coordinator_adds_a_member_from_the_kept_page(world, session, login_as):
    browser = login_as(world.coordinator_cl)
    first = _page(browser, world.group.id)
    newcomer = make_user(session, world.cl, name="Pedro Newcomer", email="pedro@example.org")
    session.commit()
    page = _page(browser, world.group.id)
    assert "Pedro Newcomer (CL)" in page  # offered at once
    tokens = dict(TOKEN.findall(page))
    assert tokens["submission_token"] != dict(TOKEN.findall(first))["submission_token"]
    response = browser.post(
        f"/working-groups/{world.group.id}", data={**tokens, "user_id": newcomer.id}
    )
    assert response.status_code == 302
    page = _page(browser, world.group.id)
    assert "Pedro Newcomer (CL)" not in page  # a member now, no longer offered
    assert "Pedro Newcomer" in page
    again = browser.post(
        f"/working-groups/{world.group.id}", data={**tokens, "user_id": newcomer.id}
    )
    assert again.status_code == 302  # the same showing of the form adds nobody twice


def test_a_coordinators_page_runs_the_same_statements_for_4_and_40_people_to_add(
    app, world, session, login_as
):
    browser = login_as(world.coordinator_cl)
    _page(browser, world.group.id)
    few = _statements(app, browser, world.group.id)
    for n in range(36):
        make_user(session, world.cl, email=f"candidate{n}@example.org")
    session.commit()
    page = _page(browser, world.group.id)
    assert page.count("(CL)</option>") >= 36
    assert _statements(app, browser, world.group.id) == few


def _statements(app, browser, group_id: int) -> int:
    counted = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: counted.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        _page(browser, group_id)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(counted)


def test_readers_of_other_parties_get_404(world, login_as):
    _page(login_as(world.member_gb), world.group.id)  # kept for the group's readers
    for outsider in (world.member_co, world.coordinator_co, world.member_cl_outside_group):
        response = login_as(outsider).get(f"/working-groups/{world.group.id}")
        assert response.status_code == 404
        assert "Javiera Soto" not in response.get_data(as_text=True)


def test_a_readers_page_runs_the_same_statements_for_4_and_40_members(
    app, world, session, login_as
):
    browser = login_as(world.member_gb)
    make_action(session, world.group, [world.member_gb], date.today())
    session.commit()
    group_id = world.group.id

    def statements() -> int:
        counted = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: counted.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            _page(browser, group_id)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(counted)

    _page(browser, group_id)  # the action chart, computed once per version, is kept
    assert statements() == 2  # the reader's session, then the kept pages' generation
    session.add(Membership(working_group=world.group, user=make_user(session, world.cl)))
    session.commit()
    few = statements()  # the page made again after a change
    for n in range(36):
        person = make_user(session, world.cl, email=f"person{n}@example.org")
        session.add(Membership(working_group=world.group, user=person))
    session.commit()
    assert statements() == few


def test_a_head_request_is_answered_like_the_page(world, login_as):
    """Only a POST adds a member: a reader's HEAD is the page's headers, not a refusal."""
    response = login_as(world.member_gb).head(f"/working-groups/{world.group.id}")
    assert response.status_code == 200

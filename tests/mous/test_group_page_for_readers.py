"""The working-group page its readers get (portal/mous/group_page.py): kept once rendered,
yet every change it shows appears at once; those who manage members get their controls."""

from datetime import date

from sqlalchemy import event

from portal.core.extensions import db
from portal.mous.models import Membership
from tests.factories import make_action, make_user


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
    few = statements()
    for n in range(36):
        person = make_user(session, world.cl, email=f"person{n}@example.org")
        session.add(Membership(working_group=world.group, user=person))
    session.commit()
    assert statements() == few

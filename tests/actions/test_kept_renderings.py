"""The list and the group's chart are kept per version of the group's items (versions.py):
every change they show appears at once, and a reader who may not read the group never gets
what was kept for those who do."""

import re
from datetime import UTC, date, datetime, timedelta

from portal.accounts.models import User
from portal.actions import access, chart, queries
from portal.actions.versions import ACTIONS_VERSION
from portal.core.extensions import db
from portal.mous.models import Membership, WorkingGroup
from tests.conftest import post
from tests.factories import make_action, make_meeting, make_user
from tests.helpers.shown_fields import recorded_columns, undeclared

TODAY = date.today()
DONE_COUNT = re.compile(r'data-series="done" data-count="(\d+)"')


def _list(browser, group_id: int, query: str = "overdue=y") -> str:
    response = browser.get(f"/actions/?group={group_id}&{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _done_in_chart(browser, group_id: int) -> int:
    page = browser.get(f"/working-groups/{group_id}").get_data(as_text=True)
    return sum(int(count) for count in DONE_COUNT.findall(page))


def test_a_status_change_shows_at_once_in_the_list_and_the_chart(world, session, login_as):
    item = make_action(session, world.group, [world.member_gb], TODAY - timedelta(2), title="Late")
    session.commit()
    browser = login_as(world.member_gb)
    assert "Late" in _list(browser, world.group.id)
    assert "Late" in _list(browser, world.group.id)  # the kept rendering
    assert _done_in_chart(browser, world.group.id) == 0
    response = post(
        browser, f"/actions/{item.id}/status", {"status-status": "done"}, token_from="/account/"
    )
    assert response.status_code == 302
    assert "Late" not in _list(browser, world.group.id)
    assert "Late" in _list(browser, world.group.id, "status=done")
    assert _done_in_chart(browser, world.group.id) == 1


def test_changes_made_elsewhere_show_at_once(world, session, login_as):
    """Items, people, parties and the group changed by another process (here the test's own
    session): each raises the version, so the next page is rendered again."""
    make_action(session, world.group, [world.member_cl], TODAY - timedelta(5), title="First")
    session.commit()
    browser = login_as(world.member_gb)
    assert "First" in _list(browser, world.group.id)
    make_action(session, world.group, [world.member_cl], TODAY - timedelta(4), title="Second")
    session.commit()
    page = _list(browser, world.group.id)
    assert "Second" in page
    assert "2 action items" in page
    world.member_cl.name = "Javiera Soto Pérez"
    session.commit()
    assert "Javiera Soto Pérez" in _list(browser, world.group.id)
    world.cl.code = "CH"
    session.commit()
    assert "<td>CH</td>" in _list(browser, world.group.id)
    world.group.name_en = "Incident response, renamed"
    session.commit()
    assert "Incident response, renamed" in _list(browser, world.group.id)


def test_the_groups_meeting_filter_follows_its_meetings_and_items_at_once(world, session, login_as):
    """The meetings a group's filter offers are read only when it is rendered, under the
    group's version: a meeting retitled or moved, and an item given a meeting, show at once."""
    meeting = make_meeting(session, world.group, datetime(2030, 3, 4, 15, tzinfo=UTC))
    meeting.title_en = meeting.title_es = "Kick-off"
    item = make_action(session, world.group, [world.member_gb], TODAY, meeting=meeting)
    later = make_meeting(session, world.group, datetime(2030, 5, 6, 15, tzinfo=UTC))
    later.title_en = later.title_es = "Review"
    session.commit()
    browser = login_as(world.member_gb)
    for _ in range(2):
        page = _list(browser, world.group.id)
        assert "Kick-off" in page and "Review" not in page
    meeting.title_en = meeting.title_es = "Opening"
    session.commit()
    assert "Opening" in _list(browser, world.group.id)
    item.meeting = later
    session.commit()
    page = _list(browser, world.group.id)
    assert "Review" in page and "Opening" not in page


def test_each_language_has_its_own_rendering(world, session, login_as):
    # Three days back: overdue on every clock (UTC's yesterday can be Santiago's today).
    make_action(session, world.group, [world.member_gb], TODAY - timedelta(3), title="Both")
    session.commit()
    english = _list(login_as(world.member_gb), world.group.id)
    spanish = _list(login_as(world.member_cl), world.group.id)  # Javiera reads Spanish
    assert "1 action item" in english
    assert "Vencida" not in english
    assert "1 action item" not in spanish
    assert "Vencida" in spanish


def test_readers_outside_the_group_never_get_the_kept_renderings(world, session, login_as):
    make_action(session, world.group, [world.member_gb], TODAY - timedelta(3), title="Group only")
    owned = make_action(
        session, world.group, [world.member_cl_outside_group], TODAY - timedelta(3), title="Owned"
    )
    session.commit()
    reader = login_as(world.member_gb)
    assert "Group only" in _list(reader, world.group.id)
    assert reader.get(f"/working-groups/{world.group.id}").status_code == 200
    for outsider in (world.member_co, world.member_cl_outside_group):
        browser = login_as(outsider)
        refused = browser.get(f"/actions/?group={world.group.id}&overdue=y")
        assert refused.status_code == 422
        assert "Group only" not in refused.get_data(as_text=True)
        assert browser.get(f"/working-groups/{world.group.id}").status_code == 404
        everything = browser.get("/actions/?overdue=y").get_data(as_text=True)
        assert "Group only" not in everything
    # The owner from outside the group sees their own item, and only it.
    own = login_as(world.member_cl_outside_group).get("/actions/").get_data(as_text=True)
    assert f"/actions/{owned.id}" in own
    assert "Group only" not in own


def _counted_in_mou_chart(browser, mou_id: int) -> dict[str, int]:
    page = browser.get(f"/mous/{mou_id}").get_data(as_text=True)
    chart = page[page.index('id="mou-progress-title"') :]
    counts: dict[str, int] = {}
    for series, count in re.findall(r'data-series="(\w+)" data-count="(\d+)"', chart):
        counts[series] = counts.get(series, 0) + int(count)
    return counts


def test_the_mous_chart_counts_every_change_at_once(world, session, login_as):
    item = make_action(session, world.group, [world.member_gb], TODAY - timedelta(2), title="One")
    session.commit()
    browser = login_as(world.member_gb)
    assert _counted_in_mou_chart(browser, world.mou.id) == {"overdue": 1}
    assert _counted_in_mou_chart(browser, world.mou.id) == {"overdue": 1}  # kept
    response = post(
        browser, f"/actions/{item.id}/status", {"status-status": "done"}, token_from="/account/"
    )
    assert response.status_code == 302
    assert _counted_in_mou_chart(browser, world.mou.id) == {"done": 1}
    make_action(session, world.group, [world.member_cl], TODAY + timedelta(3), title="Two")
    session.commit()  # by another process
    assert _counted_in_mou_chart(browser, world.mou.id) == {"done": 1, "open": 1}


def test_the_mous_chart_of_a_reader_of_every_group_is_never_an_outsiders(world, session, login_as):
    """The chart counts what its reader may see: those outside a group count only the items
    of it they own, and never get what was kept for the group's readers (or each other)."""
    make_action(session, world.group, [world.member_gb], TODAY - timedelta(3), title="Group's")
    make_action(
        session, world.group, [world.member_cl_outside_group], TODAY - timedelta(3), title="Own"
    )
    session.commit()
    assert _counted_in_mou_chart(login_as(world.member_gb), world.mou.id) == {"overdue": 2}
    outsider = login_as(world.member_cl_outside_group)
    assert _counted_in_mou_chart(outsider, world.mou.id) == {"overdue": 1}
    other_outsider = make_user(session, world.cl, email="third.cl@example.org")
    session.commit()
    assert _counted_in_mou_chart(login_as(other_outsider), world.mou.id) == {}
    # Joining the group makes the outsider read it whole: their chart is counted again.
    session.add(Membership(working_group=world.group, user_id=other_outsider.id))
    session.commit()
    assert _counted_in_mou_chart(login_as(other_outsider), world.mou.id) == {"overdue": 2}


def test_a_refused_query_string_is_refused_every_time(world, login_as):
    browser = login_as(world.member_gb)
    for _ in range(2):
        response = browser.get("/actions/?due_before=yesterday")
        assert response.status_code == 422
        assert "Enter the date as YYYY-MM-DD." in response.get_data(as_text=True)
    spanish = login_as(world.member_cl).get("/actions/?due_before=yesterday")
    assert spanish.status_code == 422
    assert "Enter the date as YYYY-MM-DD." not in spanish.get_data(as_text=True)


def test_every_field_the_list_and_the_chart_read_raises_the_groups_version(app, world, session):
    """No hand-kept list can miss a field: the columns their statements read are recorded, and
    each must be declared to raise WorkingGroup.actions_version (portal/actions/versions.py)."""
    make_action(session, world.group, [world.member_gb, world.member_cl], TODAY, title="Shown")
    session.commit()
    filters = queries.ActionFilters(group_id=world.group.id)
    with app.test_request_context():
        actor = db.session.get(User, world.member_gb.id)
        group = db.session.get(WorkingGroup, world.group.id)
        access.sees_every_action_of(actor, group)  # what decides whether it is kept, not shown
        with recorded_columns(db.engine) as reads:
            page = queries.list_actions(db.session, actor, filters, page=1, reads_group=True)
            chart.group_progress(db.session, actor, group, TODAY)
            queries.open_group_actions(db.session, actor, group)
    assert page.items[0].title == "Shown" and len(page.items[0].owners) == 2
    assert undeclared(ACTIONS_VERSION, reads) == set()


def _open_in_group_page(browser, group_id: int) -> str:
    page = browser.get(f"/working-groups/{group_id}").get_data(as_text=True)
    return page.split('id="group-actions"', 1)[1].split("</section>", 1)[0]


def test_the_group_pages_open_items_show_every_change_at_once(world, session, login_as):
    """The open items of the group's page are kept per version of its items (one list for
    all its readers): a new item, a renamed owner, a new title and a closed item show on the
    next view, whoever reads it."""
    item = make_action(session, world.group, [world.member_gb], TODAY + timedelta(3), title="Kept")
    session.commit()
    member, coordinator = login_as(world.member_gb), login_as(world.coordinator_cl)
    for _ in range(2):
        assert "Kept" in _open_in_group_page(member, world.group.id)
    make_action(session, world.group, [world.member_cl], TODAY + timedelta(1), title="Added")
    session.commit()
    assert "Added" in _open_in_group_page(coordinator, world.group.id)
    world.member_gb.name = "Renamed Owner"
    item.title_en = "Retitled"
    session.commit()
    shown = _open_in_group_page(member, world.group.id)
    assert "Renamed Owner" in shown and "Retitled" in shown
    response = post(
        member, f"/actions/{item.id}/status", {"status-status": "done"}, token_from="/account/"
    )
    assert response.status_code == 302
    assert "Retitled" not in _open_in_group_page(coordinator, world.group.id)

"""The list: filters, sorting, paging, a constant number of queries; the CSV export."""

import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from portal.actions import queries
from portal.actions.csv_export import safe_cell
from portal.actions.models import ActionStatus, Priority
from portal.core.extensions import db
from tests.factories import make_action, make_meeting

TODAY = date.today()


@pytest.fixture
def items(world, session):
    w = world
    made = {
        "overdue_cl": make_action(
            session, w.group, [w.member_cl], TODAY - timedelta(3), title="=HYPERLINK(evil)"
        ),
        "soon_gb": make_action(
            session,
            w.group,
            [w.member_gb],
            TODAY + timedelta(2),
            title="+SUM(A1)",
            priority=Priority.HIGH,
        ),
        "later_both": make_action(
            session,
            w.group,
            [w.member_cl, w.member_gb],
            TODAY + timedelta(40),
            title="@cmd",
            status=ActionStatus.IN_PROGRESS,
        ),
        "done": make_action(
            session,
            w.group,
            [w.member_gb],
            TODAY - timedelta(9),
            title="-1+2",
            status=ActionStatus.DONE,
        ),
        "tab": make_action(session, w.group, [w.member_gb], TODAY + timedelta(5), title="\tx"),
        "colombia": make_action(
            session, w.group_cl_co, [w.member_co], TODAY - timedelta(1), title="Colombian item"
        ),
    }
    session.commit()
    return made


def _csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def _titles(page: str, items: dict) -> set[str]:
    return {name for name, item in items.items() if f'/actions/{item.id}"' in page}


def test_filters(world, items, login_as):
    browser = login_as(world.member_gb)
    world_group = world.group.id

    def shown(query: str) -> set[str]:
        response = browser.get(f"/actions/?{query}")
        assert response.status_code == 200
        return _titles(response.get_data(as_text=True), items)

    group_items = {"overdue_cl", "soon_gb", "later_both", "done", "tab"}
    assert shown("") == group_items  # never the Chile–Colombia group's
    assert shown(f"group={world_group}") == group_items
    # A group the reader may not see is refused exactly like one that does not exist.
    for group_id in (world.group_cl_co.id, 99999):
        refused = browser.get(f"/actions/?group={group_id}")
        assert refused.status_code == 422
        assert "Colombian item" not in refused.get_data(as_text=True)
    assert shown("overdue=y") == {"overdue_cl"}
    assert shown("mine=y") == {"soon_gb", "later_both", "done", "tab"}
    assert shown("status=in_progress") == {"later_both"}
    assert shown(f"due_before={(TODAY + timedelta(3)).isoformat()}") == {
        "overdue_cl",
        "soon_gb",
        "done",
    }
    assert shown(f"party={world.cl.id}") == {"overdue_cl", "later_both"}


def test_meeting_filter_and_actions_agreed_in_the_minutes(world, session, login_as):
    meeting = make_meeting(session, world.group, world.mou.created_at, invitees=[world.member_gb])
    agreed = make_action(
        session, world.group, [world.member_gb], TODAY, meeting=meeting, title="Agreed item"
    )
    make_action(session, world.group, [world.member_gb], TODAY, title="Other item")
    session.commit()
    browser = login_as(world.member_gb)
    listed = browser.get(f"/actions/?meeting={meeting.id}").get_data(as_text=True)
    assert "Agreed item" in listed
    assert "Other item" not in listed
    minutes = browser.get(f"/meetings/{meeting.id}/minutes").get_data(as_text=True)
    assert "Actions agreed" in minutes
    assert f"/actions/{agreed.id}" in minutes
    assert "Other item" not in minutes


def test_the_meeting_filter_offers_the_groups_meetings_and_refuses_others(world, session, login_as):
    meeting = make_meeting(
        session, world.group, world.mou.created_at, invitees=[world.member_gb], title_en="Kick-off"
    )
    make_action(session, world.group, [world.member_gb], TODAY, meeting=meeting, title="Agreed")
    elsewhere = make_meeting(session, world.group_cl_co, world.mou.created_at, title_en="Hidden")
    make_action(session, world.group_cl_co, [world.member_cl], TODAY, meeting=elsewhere)
    session.commit()
    browser = login_as(world.member_gb)
    page = browser.get(f"/actions/?group={world.group.id}").get_data(as_text=True)
    offered = page.split('name="meeting">')[1].split("</select>")[0]
    assert '<option selected value="0">Any</option>' in offered
    assert f'value="{meeting.id}">' in offered and "(Europe/London) · Kick-off" in offered
    assert "Hidden" not in offered
    chosen = browser.get(f"/actions/?group={world.group.id}&meeting={meeting.id}")
    assert chosen.status_code == 200 and "Agreed" in chosen.get_data(as_text=True)
    # A meeting the reader may not see, or of another group than the chosen one: 400.
    hidden = browser.get(f"/actions/?group={world.group.id}&meeting={elsewhere.id}")
    assert hidden.status_code == 400
    text = hidden.get_data(as_text=True)
    assert "Choose a meeting of the chosen working group from the list" in text
    assert "Hidden" not in text
    other_group = login_as(world.member_cl).get(
        f"/actions/?group={world.group.id}&meeting={elsewhere.id}"
    )
    assert other_group.status_code == 400
    assert browser.get(f"/actions/export.csv?meeting={elsewhere.id}").status_code == 400
    assert browser.get("/actions/?meeting=abc").status_code == 422


def test_sorting_by_due_date_and_by_priority(world, items, login_as):
    browser = login_as(world.member_gb)
    by_due = browser.get("/actions/?status=open").get_data(as_text=True)
    assert by_due.index("=HYPERLINK") < by_due.index("+SUM") < by_due.index("\tx")
    by_priority = browser.get("/actions/?status=open&sort=priority").get_data(as_text=True)
    assert by_priority.index("+SUM") < by_priority.index("=HYPERLINK")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("due_before=yesterday", "Enter the date as YYYY-MM-DD."),
        ("status=lost", "Choose one of the options in the list."),
        ("group=99999", "Choose one of the options in the list."),
        ("sort=evil", "Choose one of the options in the list."),
    ],
)
def test_bad_filters_are_refused_with_a_message(world, items, login_as, query, message):
    response = login_as(world.member_gb).get(f"/actions/?{query}")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_csv_escapes_formulas_and_respects_filters(world, items, login_as):
    browser = login_as(world.member_gb)
    rows = _csv(browser.get("/actions/export.csv"))
    titles = {row["Title"] for row in rows}
    assert titles == {"'=HYPERLINK(evil)", "'+SUM(A1)", "'@cmd", "'-1+2", "'\tx"}
    assert "Colombian item" not in titles
    overdue = _csv(browser.get("/actions/export.csv?overdue=y"))
    assert [(r["Title"], r["Overdue"]) for r in overdue] == [("'=HYPERLINK(evil)", "yes")]


def test_csv_of_another_partys_member_never_has_our_items(world, items, login_as):
    rows = _csv(login_as(world.member_co).get("/actions/export.csv"))  # in Spanish
    assert [row["Título"] for row in rows] == ["Colombian item"]
    forced = login_as(world.member_co).get(f"/actions/export.csv?party={world.gb.id}")
    assert forced.status_code == 422
    assert forced.mimetype == "text/html"


def test_safe_cell():
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("\rx") == "'\rx"
    assert safe_cell("plain - text") == "plain - text"
    assert safe_cell(12) == "12"


def _statements(app, client, path: str) -> int:
    counted = []

    def count(*args):
        counted.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(counted)


def test_the_list_runs_the_same_number_of_queries_for_10_and_500_items(
    app, world, session, login_as
):
    browser = login_as(world.member_gb)

    def add(count: int) -> None:
        for n in range(count):
            make_action(
                session, world.group, [world.member_gb, world.member_cl], TODAY + timedelta(n)
            )
        session.commit()

    add(10)
    few = _statements(app, browser, "/actions/")
    few_group = _statements(app, browser, f"/actions/?group={world.group.id}")
    add(490)
    many = _statements(app, browser, "/actions/")
    many_group = _statements(app, browser, f"/actions/?group={world.group.id}")
    assert few == many
    assert few_group == many_group


def test_past_twenty_pages_the_list_counts_no_further(world, session, login_as, monkeypatch):
    """Ten years of items are not counted on every view: up to COUNT_PAGES pages past the one
    shown, then "more than", and the pager still leads on."""
    monkeypatch.setattr(queries, "COUNT_PAGES", 1)
    for n in range(27):
        make_action(session, world.group, [world.member_gb], TODAY + timedelta(n), title=f"T{n}")
    session.commit()
    browser = login_as(world.member_gb)

    first = browser.get("/actions/").get_data(as_text=True)
    assert "More than 25 action items" in first and "Page 1 of more than 1" in first
    assert "page=2" in first and "T24" in first and "T25" not in first
    second = browser.get("/actions/?page=2").get_data(as_text=True)
    assert "27 action items" in second and "Page 2 of 2" in second
    assert "T25" in second and "T26" in second and "T24" not in second
    spanish = login_as(world.member_cl).get("/actions/").get_data(as_text=True)
    assert "Más de 25 tareas" in spanish and "Página 1 de más de 1" in spanish

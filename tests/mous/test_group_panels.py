"""The panels other features add to the working-group and MoU pages (portal/mous/panels.py):
each reader sees what their rights let them open, never another reader's panel, in a number
of statements that does not grow with the data."""

import re
from datetime import timedelta

import pytest

from portal.actions.models import ActionStatus
from portal.core.db import utcnow
from portal.core.tlp import TLP
from portal.meetings.models import MeetingStatus
from portal.mous.kept_pages import PAGES
from portal.mous.models import Membership
from portal.trainings.models import TrainingStatus
from portal.web.features import group_panels, mou_panels
from tests.factories import (
    make_action,
    make_document,
    make_group,
    make_meeting,
    make_training,
    make_user,
)
from tests.helpers.statements import count_statements

EMPTY_PANELS = (
    "No upcoming meetings.",
    "No open action items.",
    "No documents you can open yet.",
    "No upcoming trainings.",
)


def test_the_features_declare_the_panels_in_their_order(app):
    assert [panel.template for panel in group_panels(app)] == [
        "meetings/_group_panel.html",
        "polls/_group_panel.html",
        "trainings/_mou_panel.html",
        "actions/_group_panel.html",
        "documents/_recent_panel.html",
    ]
    assert [panel.template for panel in mou_panels(app)] == [
        "reports/_mou_panel.html",
        "trainings/_mou_panel.html",
        "documents/_recent_panel.html",
        "actions/_mou_progress.html",
        "commitments/_mou_panel.html",
        "contacts/_mou_panel.html",
    ]


def _page(browser, path: str) -> str:
    response = browser.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def group_items(app, world, session):
    """One thing of each kind to show, and one of each that no panel lists."""
    soon = utcnow() + timedelta(days=3)
    make_meeting(
        session, world.group, soon, title_en="Quarterly review", title_es="Quarterly review"
    )
    make_meeting(
        session, world.group, soon, title_en="Called-off review", status=MeetingStatus.CANCELLED
    )
    make_meeting(session, world.group, soon - timedelta(days=30), title_en="Kick-off")
    make_action(session, world.group, [world.member_gb], soon.date(), title="Share the IoC feed")
    make_action(
        session,
        world.group,
        [world.member_cl],
        soon.date(),
        title="Finished work",
        status=ActionStatus.DONE,
    )
    make_training(
        session, world.mou, soon, title_en="Malware triage course", title_es="Malware triage course"
    )
    make_training(
        session,
        world.mou,
        soon,
        title_en="Cancelled course",
        status=TrainingStatus.CANCELLED,
    )
    session.commit()
    make_document(app, world.member_cl, world.mou, world.group, title="Shared playbook")
    make_document(
        app,
        world.member_cl,
        world.mou,
        world.group,
        title="Chilean eyes only",
        tlp=TLP.AMBER_STRICT,
    )


def test_a_member_sees_each_panel(world, group_items, login_as):
    page = _page(login_as(world.member_gb), f"/working-groups/{world.group.id}")
    assert "Quarterly review" in page
    assert f"({world.member_gb.timezone})" in page  # the date says its zone
    assert f"/working-groups/{world.group.id}/meetings" in page
    assert "Called-off review" not in page and "Kick-off" not in page
    assert "Share the IoC feed" in page and "Emily Clarke" in page
    assert "Finished work" not in page
    assert 'id="group-progress-title"' in page  # the chart beside the list
    assert "Shared playbook" in page
    assert "Malware triage course" in page and "Cancelled course" not in page
    assert f"/working-groups/{world.group.id}/documents/new" in page
    assert f"/working-groups/{world.group.id}/actions/new" in page
    assert "Javiera Soto" in page  # the members, as before


def test_the_other_delegations_amber_strict_document_stays_with_it(world, group_items, login_as):
    """The same kept group page, two readers of different parties: each their own panel."""
    path = f"/working-groups/{world.group.id}"
    chilean = _page(login_as(world.member_cl), path)
    british = _page(login_as(world.member_gb), path)
    assert "Chilean eyes only" in chilean
    assert "Chilean eyes only" not in british
    assert "Shared playbook" in british
    assert "Chilean eyes only" in _page(login_as(world.member_cl), path)


def test_an_observer_reads_without_buttons(world, group_items, login_as):
    page = _page(login_as(world.observer_gb), f"/working-groups/{world.group.id}")
    assert "Quarterly review" in page and "Share the IoC feed" in page
    assert "Shared playbook" in page and "Chilean eyes only" not in page
    assert f"/working-groups/{world.group.id}/documents/new" not in page
    assert f"/working-groups/{world.group.id}/actions/new" not in page


def test_a_coordinator_gets_the_panels_with_their_controls(world, group_items, login_as):
    british = _page(login_as(world.coordinator_gb), f"/working-groups/{world.group.id}")
    assert "Add a member" in british
    assert "Quarterly review" in british and "Share the IoC feed" in british
    assert "Shared playbook" in british and "Malware triage course" in british
    assert "Chilean eyes only" not in british
    chilean = _page(login_as(world.coordinator_cl), f"/working-groups/{world.group.id}")
    assert "Chilean eyes only" in chilean


def test_an_empty_panel_says_so_in_one_line(world, session, login_as):
    empty = make_group(session, world.mou, members=[(world.member_gb, False)], name_en="Quiet")
    session.commit()
    page = _page(login_as(world.member_gb), f"/working-groups/{empty.id}")
    for line in EMPTY_PANELS:
        assert page.count(line) == 1


def test_the_panels_speak_spanish(world, session, group_items, login_as):
    world.member_cl.language = "es"
    session.commit()
    page = _page(login_as(world.member_cl), f"/working-groups/{world.group.id}")
    for heading in ("Próximas reuniones", "Tareas abiertas", "Documentos recientes"):
        assert heading in page
    assert "Próximas capacitaciones" in page


def test_a_readers_page_runs_the_same_statements_with_more_data(
    app, world, session, group_items, login_as
):
    browser = login_as(world.member_gb)
    path = f"/working-groups/{world.group.id}"

    def statements() -> int:
        _page(browser, path)  # the chart and the kept content, made once per version
        with count_statements(app) as run:
            _page(browser, path)
        return len(run)

    few = statements()
    soon = utcnow() + timedelta(days=5)
    for n in range(8):
        person = make_user(session, world.gb, email=f"panel{n}@example.org")
        session.add(Membership(working_group=world.group, user=person))
        make_meeting(session, world.group, soon + timedelta(hours=n))
        make_action(session, world.group, [world.member_gb, person], soon.date())
        make_training(session, world.mou, soon + timedelta(hours=n))
    session.commit()
    for n in range(5):  # with the two of group_items, more than the panel shows
        make_document(app, world.member_cl, world.mou, world.group, title=f"Report {n}")
    assert statements() == few


def test_the_mou_page_links_its_groups_trainings_report_and_library(world, group_items, login_as):
    coordinator = _page(login_as(world.coordinator_gb), f"/mous/{world.mou.id}")
    assert f"/working-groups/{world.group.id}" in coordinator
    assert "Malware triage course" in coordinator
    assert "/trainings/" in coordinator
    assert f"/mous/{world.mou.id}/trainings/report" in coordinator
    assert f"/mous/{world.mou.id}/documents" in coordinator
    assert 'id="mou-progress-title"' in coordinator
    assert "Shared playbook" in coordinator  # the library's latest
    assert "Chilean eyes only" not in coordinator
    member = _page(login_as(world.member_gb), f"/mous/{world.mou.id}")
    assert "Malware triage course" in member and "Shared playbook" in member
    assert f"/mous/{world.mou.id}/trainings/report" not in member


def test_no_panel_reaches_the_other_delegation_or_an_anonymous_visitor(
    world, group_items, client, login_as
):
    for path in (f"/working-groups/{world.group.id}", f"/mous/{world.mou.id}"):
        response = login_as(world.member_co).get(path)
        assert response.status_code == 404
        assert "Shared playbook" not in response.get_data(as_text=True)
        response = client.get(path)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def _made_again(app) -> None:
    """The next page is made, not served whole (as after a change): what its parts keep stays."""
    app.extensions.pop(PAGES.name, None)


@pytest.mark.parametrize("page", ["group", "mou"])
def test_the_panels_rows_are_read_in_one_statement(app, world, group_items, login_as, page):
    browser = login_as(world.coordinator_gb)
    path = f"/working-groups/{world.group.id}" if page == "group" else f"/mous/{world.mou.id}"
    _page(browser, path)  # what a running server keeps, made once
    _made_again(app)
    with count_statements(app) as run:
        shown = _page(browser, path)
    tables = ("FROM meetings", "FROM polls", "FROM documents", "FROM trainings", "FROM commitments")
    reading_panels = [sql for sql in run if any(table in sql for table in tables)]
    assert len(reading_panels) == 1
    assert "Malware triage course" in shown and "Shared playbook" in shown
    if page == "mou":  # written, not bound: the prepared statement's generic plan then knows
        # how few rows each panel reads, and PostgreSQL keeps it instead of planning anew
        assert not re.search(r"LIMIT (\?|%\(|\$)", reading_panels[0])


def test_the_people_a_coordinator_may_add_are_read_with_the_panels(
    app, world, group_items, login_as
):
    path = f"/working-groups/{world.group.id}"
    counted = []
    for person in (world.member_gb, world.coordinator_gb):
        browser = login_as(person)
        _page(browser, path)  # what a running server keeps, made once
        _made_again(app)
        with count_statements(app) as run:
            shown = _page(browser, path)
        counted.append(len(run))
    assert 'name="user_id"' in shown  # the coordinator's form, with its choices
    assert counted[1] == counted[0]

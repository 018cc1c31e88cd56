"""Find a time: the slots inside every invited party's working hours, holidays named, the
invitees' meetings marked, each slot a link that fills the scheduling form; its range checked."""

from datetime import UTC, datetime

import pytest

from portal.accounts.models import Role
from tests import factories
from tests.helpers.working_hours import keep_demo_hours

pytestmark = pytest.mark.usefixtures("clock_before_2026")


@pytest.fixture
def hours(world, session):
    keep_demo_hours(session, world.cl, world.gb, world.co)
    return world


def _page(browser, group, **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return browser.get(f"/working-groups/{group.id}/meetings/find-a-time?{query}")


def _link(group, start: str, end: str, zone: str = "America/Santiago") -> str:
    return (
        f"/working-groups/{group.id}/meetings/new?start_local={start}"
        f"&amp;end_local={end}&amp;timezone={zone}"
    )


def test_slots_inside_both_parties_hours_link_to_the_form(hours, login_as):
    browser = login_as(hours.coordinator_gb)
    response = _page(
        browser,
        hours.group,
        start="2026-12-01",
        end="2026-12-04",
        minutes=60,
        timezone="America/Santiago",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    # Tuesday 1 December: Santiago (UTC−3) 09:00–18:00 and London (GMT) 09:00–17:30 meet
    # from 09:00 to 14:30 in Santiago; hour-long slots every half hour.
    assert _link(hours.group, "2026-12-01T09:00", "2026-12-01T10:00") in page
    assert _link(hours.group, "2026-12-01T13:30", "2026-12-01T14:30") in page
    assert _link(hours.group, "2026-12-01T14:00", "2026-12-01T15:00") not in page
    assert _link(hours.group, "2026-12-01T08:30", "2026-12-01T09:30") not in page
    assert "09:00–10:00 Santiago (Chile) · 12:00–13:00 London (United Kingdom)" in page
    assert "Days and times in America/Santiago" in page


def test_the_overlap_moves_with_the_clocks(hours, login_as):
    browser = login_as(hours.coordinator_gb)
    # Tuesday 7 April 2026: Santiago is back to UTC−4, London on BST: 13:00–16:30 UTC,
    # 09:00–12:30 in Santiago.
    page = _page(
        browser,
        hours.group,
        start="2026-04-07",
        end="2026-04-07",
        minutes=60,
        timezone="America/Santiago",
    ).get_data(as_text=True)
    assert _link(hours.group, "2026-04-07T09:00", "2026-04-07T10:00") in page
    assert _link(hours.group, "2026-04-07T11:30", "2026-04-07T12:30") in page
    assert _link(hours.group, "2026-04-07T12:00", "2026-04-07T13:00") not in page


def test_holidays_are_named_and_leave_no_slot(hours, login_as):
    browser = login_as(hours.coordinator_cl)  # reads Spanish
    page = _page(
        browser, hours.group, start="2026-09-17", end="2026-09-18", timezone="America/Santiago"
    ).get_data(as_text=True)
    assert "Viernes 18 de septiembre es Día de la Independencia en Chile." in page
    assert "start_local=2026-09-17T" in page
    assert "start_local=2026-09-18T" not in page
    assert "Sin horario laboral en común." in page


def test_the_invitees_meetings_are_marked(hours, login_as, session):
    factories.make_meeting(
        session,
        hours.group,
        datetime(2026, 12, 1, 13, tzinfo=UTC),
        invitees=[hours.member_gb],
        title_en="Incident review",
    )
    # A meeting of another group (Chile–Colombia) with a member of this one: marked, unnamed
    # to a reader of the UK who may not see it.
    factories.make_meeting(
        session,
        hours.group_cl_co,
        datetime(2026, 12, 2, 13, tzinfo=UTC),
        invitees=[hours.member_cl],
        title_en="Colombian matters",
    )
    session.commit()
    browser = login_as(hours.coordinator_gb)
    page = _page(
        browser, hours.group, start="2026-12-01", end="2026-12-02", timezone="America/Santiago"
    ).get_data(as_text=True)
    assert "Incident review" in page
    assert "Busy: another meeting of invitees" in page
    assert "Colombian matters" not in page
    assert "a meeting you cannot see" in page


def test_the_kept_table_shows_each_change_at_once(hours, login_as, session):
    """The table is kept under what it shows, the invitees' meetings included: a meeting
    scheduled since, and a party's new working hours, are on the next view."""
    browser = login_as(hours.coordinator_gb)
    args = {"start": "2026-12-01", "end": "2026-12-01", "timezone": "America/Santiago"}
    for _ in range(2):
        page = _page(browser, hours.group, **args).get_data(as_text=True)
        assert "Busy: another meeting of invitees" not in page
        assert _link(hours.group, "2026-12-01T13:30", "2026-12-01T14:30") in page
    factories.make_meeting(
        session,
        hours.group,
        datetime(2026, 12, 1, 13, tzinfo=UTC),
        invitees=[hours.member_gb],
        title_en="Incident review",
    )
    session.commit()
    page = _page(browser, hours.group, **args).get_data(as_text=True)
    # 10:00–11:00 in Santiago: the slots from 09:30, 10:00 and 10:30 overlap it.
    assert page.count("Busy: another meeting of invitees") == 3
    assert "Incident review" in page
    hours.gb.work_end_minute = 16 * 60  # London now stops at 16:00 (13:00 in Santiago)
    session.commit()
    page = _page(browser, hours.group, **args).get_data(as_text=True)
    assert _link(hours.group, "2026-12-01T13:30", "2026-12-01T14:30") not in page
    assert _link(hours.group, "2026-12-01T12:00", "2026-12-01T13:00") in page


def test_the_kept_form_shows_what_each_request_sent(hours, login_as, session):
    """The form is kept per language and values: each request's own values and text as typed,
    each reader's language, and a refused value drawn with its error, never a kept one."""
    browser = login_as(hours.coordinator_gb)
    first = _page(browser, hours.group, start="2026-12-01", end="2026-12-02")
    second = _page(browser, hours.group, start="2026-12-03", end="2026-12-04")
    assert 'value="2026-12-01"' in first.get_data(as_text=True)
    assert 'value="2026-12-03"' in second.get_data(as_text=True)
    assert 'value="2026-12-01"' not in second.get_data(as_text=True)
    typed = _page(browser, hours.group, start="2026-12-3", end="2026-12-04")
    assert 'value="2026-12-3"' in typed.get_data(as_text=True)
    hours.coordinator_cl.language = "es"
    session.commit()
    spanish = _page(
        login_as(hours.coordinator_cl), hours.group, start="2026-12-01", end="2026-12-02"
    )
    assert "Mostrar los horarios" in spanish.get_data(as_text=True)
    refused = _page(browser, hours.group, start="2026-12-10", end="2026-12-01")
    assert refused.status_code == 422 and 'value="2026-12-10"' in refused.get_data(as_text=True)


def test_a_slot_fills_the_form(hours, login_as):
    browser = login_as(hours.coordinator_gb)
    page = browser.get(
        f"/working-groups/{hours.group.id}/meetings/new?start_local=2026-12-01T09:00"
        "&end_local=2026-12-01T10:00&timezone=America/Santiago"
    ).get_data(as_text=True)
    assert 'value="2026-12-01T09:00"' in page
    assert 'value="2026-12-01T10:00"' in page
    assert '<option selected value="America/Santiago">' in page


def test_the_default_range_is_the_next_14_days(hours, login_as):
    page = _page(login_as(hours.coordinator_gb), hours.group).get_data(as_text=True)
    # The clock stands at 1 January 2026; the reader's zone is London.
    assert 'value="2026-01-01"' in page
    assert "Days and times in Europe/London" in page
    assert page.count('<th scope="row">') == 14


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"start": "2026-12-10", "end": "2026-12-01"}, "The end of the range cannot be before"),
        ({"start": "2026-01-01", "end": "2026-03-01"}, "Look at 31 days at most."),
        ({"start": "2026-13-01"}, "Enter the date as YYYY-MM-DD."),
        ({"start": "1900-01-01"}, "Enter a date between 1945 and 2200."),
        ({"timezone": "Mars/Olympus"}, "Choose a time zone from the list."),
        ({"minutes": "7"}, "Choose one of the options in the list."),
    ],
)
def test_bad_ranges_are_refused(hours, login_as, args, message):
    response = _page(login_as(hours.coordinator_gb), hours.group, **args)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert "start_local=" not in page


def test_the_page_kept_for_a_manager_is_refused_once_they_no_longer_manage(
    hours, login_as, session
):
    """The page is kept whole for its reader (portal/mous/kept_pages.py): their role is part
    of its key, and a change of it raises the counter, so a former manager is refused."""
    browser = login_as(hours.coordinator_gb)
    assert _page(browser, hours.group).status_code == 200
    assert _page(browser, hours.group).status_code == 200
    hours.coordinator_gb.role = Role.MEMBER
    session.commit()
    assert _page(browser, hours.group).status_code == 403

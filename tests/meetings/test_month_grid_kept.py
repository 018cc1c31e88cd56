"""The month calendar's kept grid (calendar_views.MONTH_GRIDS) and the page kept whole for each
reader under the group pages' counter (portal/mous/kept_pages.py): every change it shows shows
on the next request, and no reader is ever served the grid of another who sees other entries."""

import re
from datetime import UTC, date, datetime
from functools import partial

import pytest
import time_machine

from portal.main.kept_pages import GENERATION
from portal.meetings import feeds
from portal.meetings.calendar_views import MONTH_GRIDS
from portal.meetings.models import CalendarFeed, MeetingStatus
from portal.mous.kept_pages import PAGES
from portal.trainings.models import TrainingStatus
from tests.factories import make_action, make_meeting, make_training
from tests.helpers.statements import assert_kept, count_statements, tables_raising, tables_read

# The navigation bar's and the feed form's tokens are signed with the second.
CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="[^"]*"')

MONTH = "/calendar?month=2030-01"


def _same_clock(session, *people) -> None:
    """The same zone and language for all: only their rights differ."""
    for person in people:
        person.timezone = "America/Santiago"
        person.language = "en"
    session.commit()


def _page(browser, path: str = MONTH) -> str:
    response = browser.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_meeting_changed_moved_cancelled_or_deleted_shows_at_once(login_as, world, session):
    meeting = make_meeting(
        session, world.group, datetime(2030, 1, 8, 13, tzinfo=UTC), title_en="First title"
    )
    _same_clock(session, world.member_gb)
    browser = login_as(world.member_gb)
    assert "First title" in _page(browser)
    assert "First title" in _page(browser)  # served from the kept grid
    meeting.title_en = "Second title"
    session.commit()
    page = _page(browser)
    assert "Second title" in page and "First title" not in page
    meeting.starts_at = datetime(2030, 1, 20, 13, tzinfo=UTC)
    meeting.ends_at = datetime(2030, 1, 20, 15, tzinfo=UTC)
    session.commit()
    page = _page(browser)
    day_20 = page.index('"calendar-day-number">20</span>')
    assert page.index("Second title") > day_20 and "10:00–12:00" in page
    meeting.status = MeetingStatus.CANCELLED
    session.commit()
    assert "calendar-cancelled" in _page(browser)
    session.delete(meeting)
    session.commit()
    assert "Second title" not in _page(browser)


def test_a_change_undone_shows_the_first_state_again(login_as, world, session):
    meeting = make_meeting(
        session, world.group, datetime(2030, 1, 8, 13, tzinfo=UTC), title_en="First title"
    )
    _same_clock(session, world.member_gb)
    browser = login_as(world.member_gb)
    for title in ("First title", "Second title", "First title", "Second title"):
        meeting.title_en = title
        session.commit()
        page = _page(browser)
        assert title in page
        other = "Second title" if title == "First title" else "First title"
        assert other not in page


def test_a_training_and_a_due_date_changed_show_at_once(login_as, world, session):
    training = make_training(
        session, world.mou, datetime(2030, 1, 14, 13, tzinfo=UTC), title_en="Forensics course"
    )
    item = make_action(session, world.group, [world.member_gb], date(2030, 1, 9))
    item.title_en = "Send the report"
    session.commit()
    browser = login_as(world.member_gb)
    page = _page(browser)
    assert "Forensics course" in page and "Send the report" in page
    training.status = TrainingStatus.CANCELLED
    item.due_on = date(2030, 2, 9)
    session.commit()
    page = _page(browser)
    assert "Send the report" not in page
    assert page.count("calendar-cancelled") == 1


def test_a_reader_without_the_rights_never_gets_anothers_grid(login_as, world, session):
    make_meeting(session, world.group, datetime(2030, 1, 8, 13, tzinfo=UTC), title_en="Group call")
    make_action(session, world.group, [world.member_gb], date(2030, 1, 9)).title_en = "Own item"
    _same_clock(session, world.member_gb, world.member_co, world.member_cl_outside_group)
    page = _page(login_as(world.member_gb))
    assert "Group call" in page and "Own item" in page
    for other in (world.member_co, world.member_cl_outside_group):
        page = _page(login_as(other))
        assert "Group call" not in page and "Own item" not in page
        assert "Nothing this month." in page


def test_a_due_date_is_shown_only_to_its_owner_with_the_same_meetings(login_as, world, session):
    make_meeting(session, world.group, datetime(2030, 1, 8, 13, tzinfo=UTC), title_en="Group call")
    make_action(session, world.group, [world.member_cl], date(2030, 1, 9)).title_en = "Her item"
    _same_clock(session, world.member_cl, world.member_gb)
    assert "Her item" in _page(login_as(world.member_cl))
    page = _page(login_as(world.member_gb))
    assert "Group call" in page and "Her item" not in page


def test_languages_and_zones_get_their_own_grid(login_as, world, session):
    make_meeting(
        session,
        world.group,
        datetime(2030, 1, 8, 13, tzinfo=UTC),
        title_en="Call",
        title_es="Reunión",
    )
    _same_clock(session, world.member_cl, world.member_gb)
    assert "10:00–11:00" in _page(login_as(world.member_gb))
    world.member_cl.language = "es"
    world.member_cl.timezone = "Europe/London"
    session.commit()
    page = _page(login_as(world.member_cl))
    assert "Reunión" in page and "13:00–14:00" in page and "10:00–11:00" not in page


def test_today_moves_with_the_day(login_as, world, session):
    _same_clock(session, world.member_gb)
    with time_machine.travel(datetime(2030, 1, 9, 2, 50, tzinfo=UTC), tick=False):
        browser = login_as(world.member_gb)
        page = _page(browser)
        assert page.index("table-active") < page.index('"calendar-day-number">8</span>')
    with time_machine.travel(datetime(2030, 1, 9, 3, 10, tzinfo=UTC), tick=False):
        page = _page(browser)
        assert page.index('"calendar-day-number">8</span>') < page.index("table-active")


def _masked(browser, path: str = MONTH) -> str:
    return CSRF.sub("", _page(browser, path))


@pytest.mark.parametrize("reader", ["member_gb", "coordinator_gb"])
def test_a_kept_month_is_found_in_one_statement_and_is_the_month_made_anew(
    app, world, session, login_as, reader
):
    make_meeting(session, world.group, datetime(2030, 1, 8, 13, tzinfo=UTC), title_en="Sync")
    make_action(session, world.group, [getattr(world, reader)], date(2030, 1, 9))
    session.add(CalendarFeed(user_id=getattr(world, reader).id, generation=3))
    session.commit()
    browser = login_as(getattr(world, reader))
    _page(browser)  # the first page after logging in is not kept
    for path in (MONTH, "/calendar?month=2030-02"):
        assert_kept(app, partial(_masked, browser, path), PAGES.name, MONTH_GRIDS.name)
    assert "Sync" in _page(browser)


@pytest.mark.parametrize("reader", ["member_gb", "coordinator_gb"])
def test_every_table_the_month_reads_raises_its_counter(app, world, session, login_as, reader):
    make_meeting(session, world.group, datetime(2030, 1, 8, 13, tzinfo=UTC))
    session.commit()
    browser = login_as(getattr(world, reader))
    app.extensions.pop(PAGES.name, None)
    app.extensions.pop(MONTH_GRIDS.name, None)
    with count_statements(app) as statements:
        _page(browser)
    read = tables_read(statements)
    assert {"meetings", "trainings", "action_items", "calendar_feeds"} <= read
    assert read - tables_raising(GENERATION) - {"user_sessions", "kept_generations"} == set()


def test_a_feed_made_anew_elsewhere_shows_its_new_address_at_once(app, world, session, login_as):
    _same_clock(session, world.member_gb)
    with app.app_context():
        first, second = (feeds.token_of(world.member_gb.id, g) for g in (1, 2))
    browser = login_as(world.member_gb)
    assert "/calendar/feed/" not in _page(browser)
    assert "/calendar/feed/" not in _page(browser)  # kept
    session.add(CalendarFeed(user_id=world.member_gb.id, generation=1))
    session.commit()
    assert first in _page(browser)
    session.get(CalendarFeed, world.member_gb.id).generation = 2
    session.commit()
    page = _page(browser)
    assert second in page and first not in page


def test_a_party_leaving_the_mou_elsewhere_hides_its_meetings_at_once(world, session, login_as):
    make_meeting(session, world.group, datetime(2030, 1, 8, 13, tzinfo=UTC), title_en="Group call")
    _same_clock(session, world.member_gb)
    browser = login_as(world.member_gb)
    assert "Group call" in _page(browser)
    assert "Group call" in _page(browser)  # kept
    world.mou.parties = [party for party in world.mou.parties if party.code != "GB"]
    session.commit()
    assert "Group call" not in _page(browser)


def test_a_kept_month_outlives_the_minute_but_not_the_day(app, world, session, login_as):
    _same_clock(session, world.member_gb)  # Santiago: UTC-3 in January
    with time_machine.travel(datetime(2030, 1, 9, 2, 58, 59, tzinfo=UTC), tick=False):
        browser = login_as(world.member_gb)
        _page(browser)  # the first page after logging in is not kept
        made = _masked(browser)
    with time_machine.travel(datetime(2030, 1, 9, 2, 59, 1, tzinfo=UTC), tick=False):
        with count_statements(app) as statements:
            assert _masked(browser) == made
        assert len(statements) == 2
    with time_machine.travel(datetime(2030, 1, 9, 3, 0, 1, tzinfo=UTC), tick=False):
        page = _page(browser)
        assert page.index('"calendar-day-number">8</span>') < page.index("table-active")

"""The month calendar's kept grid (calendar_views.MONTH_GRIDS): every change it shows shows on
the next request, and no reader is ever served the grid of another who sees other entries."""

from datetime import UTC, date, datetime

import time_machine

from portal.meetings.models import MeetingStatus
from portal.trainings.models import TrainingStatus
from tests.factories import make_action, make_meeting, make_training

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

"""One calendar of everything: the month page and the private feed show meetings, the
trainings the reader may see (trainings/access.py) and the reader's own due dates, each
labelled in words; a change to any of them shows on the next request; on a phone the month is
a list of days."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import recurring_ical_events
from icalendar import Calendar
from sqlalchemy import select

from portal.actions.models import ActionItem, ActionStatus
from portal.trainings.models import Training, TrainingStatus
from tests.conftest import post
from tests.factories import make_action, make_meeting, make_training
from tests.helpers.statements import counted_queries

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "portal.css"
MONTH = "/calendar?month=2026-12"


def _plan(session, world):
    """A meeting, two trainings (one of an MoU the UK is not in), four action items."""
    make_meeting(session, world.group, datetime(2026, 12, 9, 14, tzinfo=UTC), title_en="Call")
    # 13:00 UTC is 10:00 in Santiago (-03, summer) and 13:00 in London (GMT).
    shown = make_training(
        session,
        world.mou,
        datetime(2026, 12, 11, 13, tzinfo=UTC),
        hours=1.5,
        title_en="Malware triage",
        title_es="Triaje de malware",
    )
    make_training(
        session,
        world.mou_cl_co,
        datetime(2026, 12, 14, 13, tzinfo=UTC),
        title_en="Andean exercise",
        title_es="Ejercicio andino",
    )
    make_action(session, world.group, [world.member_gb], date(2026, 12, 15), title="Send report")
    make_action(session, world.group, [world.member_cl], date(2026, 12, 16), title="Book room")
    make_action(
        session,
        world.group,
        [world.member_gb],
        date(2026, 12, 17),
        title="Finished task",
        status=ActionStatus.DONE,
    )
    session.commit()
    return shown


def _page(browser, path=MONTH) -> str:
    response = browser.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_month_shows_trainings_and_the_readers_own_due_dates_each_labelled(
    login_as, world, session
):
    _plan(session, world)
    page = _page(login_as(world.member_gb))
    assert "Call" in page and 'class="calendar-entry calendar-meeting"' in page
    assert "Malware triage" in page and 'class="calendar-entry calendar-training"' in page
    assert "Andean exercise" not in page  # the UK is not a party to that MoU
    assert "Send report" in page and 'class="calendar-entry calendar-due"' in page
    assert "Book room" not in page  # a group's item, but not theirs
    assert "Finished task" not in page  # done: no longer due
    # Each kind says what it is in words, not by colour alone.
    for label in ("Meeting", "Training", "Due date"):
        assert f'<span class="calendar-kind">{label}' in page
    assert "Fri 11 Dec 2026, 13:00–14:30 London" in page
    assert "13:00–14:30" in page  # the grid's short times

    spanish = _page(login_as(world.member_cl))
    assert "Triaje de malware" in spanish and "Book room" in spanish
    assert "Send report" not in spanish
    assert "vie 11 dic 2026, 10:00–11:30 Santiago" in spanish
    for label in ("Reunión", "Capacitación", "Plazo"):
        assert f'<span class="calendar-kind">{label}' in spanish


def test_who_sees_what_on_the_calendar(login_as, client, world, session):
    _plan(session, world)
    other_delegation = _page(login_as(world.member_co))
    assert "Ejercicio andino" in other_delegation  # Colombia reads Spanish
    assert "Triaje de malware" not in other_delegation and "Send report" not in other_delegation
    observer = _page(login_as(world.observer_gb))
    assert "Malware triage" in observer  # a delegation person of the MoU's parties
    assert "Send report" not in observer and "Book room" not in observer
    admin = _page(login_as(world.admin))
    assert "Ejercicio andino" in admin and "Triaje de malware" in admin
    assert "Send report" not in admin  # due dates are their owners' only
    # The refusals are unchanged: an external participant is kept to trainings, an
    # anonymous visitor is sent to log in.
    assert login_as(world.external_cl).get(MONTH).status_code == 404
    anonymous = client.get(MONTH)
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]


def test_a_cancelled_training_says_so_in_words(login_as, world, session):
    training = _plan(session, world)
    session.get(Training, training.id).status = TrainingStatus.CANCELLED
    session.commit()
    page = _page(login_as(world.member_gb))
    entry = page[page.index("calendar-training calendar-cancelled") :]
    assert entry.index("Training · Cancelled") < entry.index("Malware triage")


def test_a_change_to_a_training_or_a_due_date_shows_at_once(login_as, client, world, session):
    training = _plan(session, world)
    browser = login_as(world.member_gb)
    post(browser, "/calendar/feed", token_from="/calendar")
    url = _feed_url(browser)
    before_page, before_feed = _page(browser), client.get(url).get_data(as_text=True)
    assert "Fri 11 Dec 2026, 13:00–14:30 London" in before_page
    assert "DTSTART;VALUE=DATE:20261215" in before_feed

    stored = session.get(Training, training.id)
    stored.starts_at += timedelta(days=7)
    stored.ends_at += timedelta(days=7)
    stored.updated_at = datetime(2026, 11, 1, tzinfo=UTC)
    item = session.scalar(select(ActionItem).where(ActionItem.title == "Send report"))
    item.due_on = date(2026, 12, 22)
    item.updated_at = datetime(2026, 11, 1, tzinfo=UTC)
    session.commit()

    after_page = _page(browser)
    assert "Fri 18 Dec 2026, 13:00–14:30 London" in after_page
    assert "Fri 11 Dec 2026, 13:00" not in after_page
    day_22 = after_page.index("Tue 22 Dec 2026")
    assert after_page.index("Send report") > day_22
    after = client.get(url)
    assert after.get_data(as_text=True) != before_feed
    assert "DTSTART;VALUE=DATE:20261222" in after.get_data(as_text=True)
    assert "DTSTART;VALUE=DATE:20261215" not in after.get_data(as_text=True)


def _feed_url(browser) -> str:
    page = _page(browser, "/calendar")
    return page.split("<code>")[1].split("</code>")[0].removeprefix("http://portal.test")


def test_feed_has_trainings_with_their_zone_and_due_dates_as_all_day_events(
    login_as, client, world, session
):
    training = _plan(session, world)
    # Organised in London, across the night its clocks go forward (00:30 GMT to 02:30 BST).
    london = make_training(
        session,
        world.mou,
        datetime(2027, 3, 28, 0, 30, tzinfo=UTC),
        hours=1,
        timezone="Europe/London",
        title_es="Ejercicio nocturno",
    )
    session.commit()
    browser = login_as(world.member_cl)
    post(browser, "/calendar/feed", token_from="/calendar")
    url = _feed_url(browser)
    response = client.get(url)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert client.get(url).get_data(as_text=True) == text  # the same bytes on every fetch
    calendar = Calendar.from_ical(text)
    assert "METHOD" not in calendar
    assert str(calendar["X-WR-CALNAME"]) == "Calendario · Portal de Cooperación"

    # Every TZID has its VTIMEZONE, before the first event.
    assert text.index("BEGIN:VTIMEZONE") < text.index("BEGIN:VEVENT")
    zones = [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")]
    assert zones == ["America/Santiago", "Europe/London"]
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    used = {
        e[name].params["TZID"]
        for e in events.values()
        for name in ("DTSTART", "DTEND")
        if "TZID" in e[name].params
    }
    assert used == set(zones)  # no TZID without its VTIMEZONE, and none unused
    session_event = events[training.uid]
    assert str(session_event["SUMMARY"]) == "Triaje de malware"
    assert session_event["DTSTART"].params["TZID"] == "America/Santiago"
    assert session_event["DTSTART"].dt == datetime(2026, 12, 11, 13, tzinfo=UTC)
    assert "Andean exercise" not in text and "Ejercicio andino" in text  # Chile is in both

    # Written in English only: the Spanish reader's feed marks its language.
    due = [e for uid, e in events.items() if uid.startswith("action-")]
    assert [str(e["SUMMARY"]) for e in due] == [
        "Plazo: Book room (EN)"
    ]  # written in English only: marked
    assert due[0]["DTSTART"].dt == date(2026, 12, 16)
    assert due[0]["DTEND"].dt == date(2026, 12, 17)
    assert str(due[0]["TRANSP"]) == "TRANSPARENT"

    # As a calendar program expands it.
    shown = recurring_ical_events.of(calendar).between(
        datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    )
    starts = {str(e["SUMMARY"]): e["DTSTART"].dt for e in shown}
    assert starts["Triaje de malware"] == datetime(2026, 12, 11, 13, tzinfo=UTC)
    assert starts["Plazo: Book room (EN)"] == date(2026, 12, 16)
    night = recurring_ical_events.of(calendar).between(
        datetime(2027, 3, 27, tzinfo=UTC), datetime(2027, 3, 29, tzinfo=UTC)
    )
    [event] = [e for e in night if str(e["UID"]) == london.uid]
    assert event["DTSTART"].dt == datetime(2027, 3, 28, 0, 30, tzinfo=UTC)
    assert event["DTEND"].dt == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    assert event["DTEND"].dt.utcoffset() == timedelta(hours=1)  # BST, as zoneinfo says
    assert "Call" not in starts or starts["Call"] == datetime(2026, 12, 9, 14, tzinfo=UTC)

    # A cancelled session leaves the feed (subscribed calendars remove it).
    session.get(Training, training.id).status = TrainingStatus.CANCELLED
    session.commit()
    assert training.uid not in client.get(url).get_data(as_text=True)


def test_on_a_phone_the_month_is_a_list_of_days(login_as, world, session):
    _plan(session, world)
    page = _page(login_as(world.member_gb))
    assert 'class="table table-bordered calendar calendar-month"' in page
    # Each day with entries names itself in full for the list; empty days are marked to hide.
    assert '<span class="calendar-day-name">Fri 11 Dec 2026</span>' in page
    assert "calendar-empty" in page
    css = CSS.read_text()
    phone = css[css.index("@media (max-width: 576px)") :]
    assert "table.calendar-month td.calendar-empty { display: none; }" in phone
    assert "table.calendar-month td { display: block; width: 100%; }" in phone


def test_month_runs_as_many_queries_for_40_trainings_and_due_dates_as_for_4(
    login_as, world, session, engine
):
    def add(count: int, first: int) -> None:
        for n in range(first, first + count):
            start = datetime(2026, 12, 1, 12, tzinfo=UTC) + timedelta(hours=17 * n)
            make_training(session, world.mou, start, title_en=f"Session {n}")
            make_action(session, world.group, [world.member_gb], start.date(), title=f"Task {n}")
        session.commit()

    browser = login_as(world.member_gb)
    browser.get(MONTH)  # warm: the first request of a session loads more than the next
    add(2, 0)
    with counted_queries(engine) as few_made:  # the changed month's grid made
        assert "Session 1" in _page(browser)
    with counted_queries(engine) as few:  # and then kept
        assert browser.get(MONTH).status_code == 200
    add(20, 2)
    with counted_queries(engine) as many_made:
        page = _page(browser)
    with counted_queries(engine) as many:
        assert browser.get(MONTH).status_code == 200
    assert len(many_made) == len(few_made), (few_made, many_made)
    assert len(many) == len(few), (few, many)
    assert "Session 21" in page and "Task 21" in page

"""Office hours on the contact's clock and on the reader's, across both zones' daylight saving
time changes (London moves forward on the last Sunday of March, Santiago back on the first
Sunday of April and forward on the first Sunday of September)."""

from datetime import UTC, date, datetime, time

import pytest
import time_machine

from portal.contacts.availability import office_hours

WEEKDAYS = [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    ("week", "london", "santiago", "reader_hours"),
    [
        # Winter in London, summer in Santiago: three hours apart.
        (date(2026, 1, 14), "GMT", "-03", "Monday–Friday 06:00–14:00"),
        # London has moved forward, Santiago not yet back: four hours apart.
        (date(2026, 3, 31), "BST", "-03", "Monday–Friday 05:00–13:00"),
        # Summer in London, winter in Santiago: five hours apart.
        (date(2026, 7, 15), "BST", "-04", "Monday–Friday 04:00–12:00"),
        # Santiago moves forward on Sunday 6 September 2026: four hours apart again.
        (date(2026, 9, 9), "BST", "-03", "Monday–Friday 05:00–13:00"),
    ],
)
def test_a_london_desk_seen_from_santiago_through_the_year(week, london, santiago, reader_hours):
    hours = office_hours(
        WEEKDAYS, time(9), time(17), "Europe/London", "America/Santiago", week, "en"
    )
    assert hours.contact.hours == "Monday–Friday 09:00–17:00"
    assert hours.contact.zone == "Europe/London" and hours.contact.abbreviation == london
    assert hours.reader.hours == reader_hours
    assert hours.reader.zone == "America/Santiago" and hours.reader.abbreviation == santiago


def test_a_week_in_which_the_clocks_change_shows_each_day_as_it_is():
    """Santiago goes back on Sunday 5 April 2026: a Santiago desk open every day at 10:00 is
    at 14:00 in London until Saturday and at 15:00 on Sunday."""
    hours = office_hours(
        list(range(7)), time(10), time(12), "America/Santiago", "Europe/London",
        date(2026, 4, 1), "en",
    )  # fmt: skip
    assert hours.contact.hours == "Monday–Sunday 10:00–12:00"
    assert hours.contact.abbreviation == "-03 / -04"
    assert hours.reader.hours == "Monday–Saturday 14:00–16:00; Sunday 15:00–17:00"


def test_days_move_when_the_hours_cross_midnight_on_the_readers_clock():
    hours = office_hours(
        WEEKDAYS, time(9), time(11), "Asia/Tokyo", "America/Santiago", date(2026, 1, 14), "es"
    )
    assert hours.contact.hours == "lunes–viernes 09:00–11:00"
    assert hours.reader.hours == "domingo–jueves 21:00–23:00"


def test_the_page_shows_both_clocks_with_their_zones(world, session, contact_of, login_as):
    contact = contact_of(session, world.mou, world.gb, timezone="Europe/London")
    session.commit()
    reader = world.member_cl  # reads in America/Santiago, in Spanish
    with time_machine.travel(datetime(2026, 7, 15, 12, tzinfo=UTC)):
        page = login_as(reader).get(f"/contacts/{contact.id}").get_data(as_text=True)
    assert "lunes–viernes 09:00–17:00 (Europe/London, BST)" in page
    assert "lunes–viernes 04:00–12:00 (America/Santiago, -04)" in page
    with time_machine.travel(datetime(2026, 1, 14, 12, tzinfo=UTC)):
        listing = login_as(reader).get(f"/mous/{world.mou.id}/contacts").get_data(as_text=True)
    assert "lunes–viernes 09:00–17:00 (Europe/London, GMT)" in listing
    assert "lunes–viernes 06:00–14:00 (America/Santiago, -03)" in listing

"""'Today' is the reader's day, on their own clock: at 01:30 UTC on 15 January it is still the
evening of the 14th in Santiago and already the 15th in London. What a form offers as today,
what it accepts as not in the future, and when an item due on a day becomes overdue all
follow the person's zone, not UTC's date."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import func, select

from portal.contacts.models import PointOfContact
from tests.conftest import post
from tests.factories import make_action

# Santiago keeps summer time (-03) in January; London keeps summer time (+01) in July.
JANUARY_NIGHT = datetime(2027, 1, 15, 1, 30, tzinfo=UTC)  # Santiago 14 Jan 22:30, London 01:30
JULY_NIGHT = datetime(2027, 7, 15, 23, 30, tzinfo=UTC)  # London 16 Jul 00:30, Santiago 19:30


@pytest.fixture
def clock_at():
    """clock_at(moment): the clock stands (and runs) from that moment for the test."""
    travels = []

    def travel(moment: datetime) -> None:
        traveller = time_machine.travel(moment, tick=True)
        traveller.start()
        travels.append(traveller)

    yield travel
    for traveller in reversed(travels):
        traveller.stop()


def _contact_form(day: date) -> dict:
    return {
        "kind": "csirt",
        "given_name": "Ana",
        "family_name": "Pérez",
        "role": "Jefe de turno",
        "organisation": "CSIRT",
        "email": "ana.perez@csirt.example",
        "phone": "+56 2 2486 3850",
        "availability": "always",
        "timezone": "America/Santiago",
        "pgp_fingerprint": "",
        "last_verified_on": day.isoformat(),
    }


def test_an_item_due_yesterday_in_london_is_not_yet_overdue_in_santiago(
    world, session, login_as, clock_at
):
    clock_at(JANUARY_NIGHT)
    item = make_action(session, world.group, [world.member_cl, world.member_gb], date(2027, 1, 14))
    session.commit()

    in_santiago = login_as(world.member_cl).get(f"/actions/{item.id}").get_data(as_text=True)
    in_london = login_as(world.member_gb).get(f"/actions/{item.id}").get_data(as_text=True)

    assert ">Overdue</span>" not in in_santiago  # 22:30 on the day it is due
    assert ">Overdue</span>" in in_london  # the day it was due has ended


def test_the_overdue_filter_follows_the_readers_day(world, session, login_as, clock_at):
    clock_at(JANUARY_NIGHT)
    make_action(session, world.group, [world.member_cl], date(2027, 1, 14), title="Due on the 14th")
    session.commit()

    def overdue_list(person) -> str:
        return login_as(person).get("/actions/?overdue=y").get_data(as_text=True)

    assert "Due on the 14th" not in overdue_list(world.member_cl)
    assert "Due on the 14th" in overdue_list(world.member_gb)


def test_the_contact_form_offers_the_coordinators_own_today(world, login_as, clock_at):
    clock_at(JANUARY_NIGHT)
    mou = world.mou

    def offered(person, party) -> str:
        page = login_as(person).get(f"/mous/{mou.id}/parties/{party.id}/contacts/new")
        assert page.status_code == 200
        return page.get_data(as_text=True)

    assert 'value="2027-01-14"' in offered(world.coordinator_cl, world.cl)
    assert 'value="2027-01-15"' in offered(world.coordinator_gb, world.gb)


def test_verified_today_is_the_day_on_the_coordinators_clock(
    world, session, login_as, clock_at, contact_of
):
    clock_at(JANUARY_NIGHT)
    contact = contact_of(session, world.mou, world.cl, last_verified_on=date(2026, 12, 1))
    session.commit()

    answer = post(login_as(world.coordinator_cl), f"/contacts/{contact.id}/verified")

    assert answer.status_code == 302
    session.refresh(contact)
    assert contact.last_verified_on == date(2027, 1, 14)


def test_a_date_that_is_today_in_london_is_accepted_there_and_future_in_santiago(
    world, session, login_as, clock_at
):
    clock_at(JULY_NIGHT)
    mou, day = world.mou, date(2027, 7, 16)
    count = select(func.count()).select_from(PointOfContact)

    from_london = post(
        login_as(world.coordinator_gb),
        f"/mous/{mou.id}/parties/{world.gb.id}/contacts/new",
        _contact_form(day),
    )
    assert from_london.status_code == 302, from_london.get_data(as_text=True)[:2000]
    assert session.scalar(count) == 1

    from_santiago = post(
        login_as(world.coordinator_cl),
        f"/mous/{mou.id}/parties/{world.cl.id}/contacts/new",
        _contact_form(day),
    )
    assert from_santiago.status_code == 200
    assert "Choose a date between 2000 and today." in from_santiago.get_data(as_text=True)
    assert session.scalar(count) == 1

"""'Today' on a contact's form is the coordinator's day, on their own clock: what the form
offers, what it accepts as not in the future, and the day 'verified today' records. At 01:30
UTC on 15 January it is still the 14th in Santiago (summer time, -03); at 23:30 UTC on
15 July it is already the 16th in London (summer time, +01)."""

from datetime import UTC, date, datetime

import time_machine
from sqlalchemy import func, select

from portal.contacts.models import PointOfContact
from tests.conftest import post
from tests.helpers.contacts import contact_form

JANUARY_NIGHT = datetime(2027, 1, 15, 1, 30, tzinfo=UTC)  # Santiago 14 Jan 22:30, London 01:30
JULY_NIGHT = datetime(2027, 7, 15, 23, 30, tzinfo=UTC)  # London 16 Jul 00:30, Santiago 19:30
EMAIL = "ana.perez@csirt.example"


def test_the_form_offers_the_coordinators_own_today(world, login_as):
    def offered(person, party) -> str:
        page = login_as(person).get(f"/mous/{world.mou.id}/parties/{party.id}/contacts/new")
        assert page.status_code == 200
        return page.get_data(as_text=True)

    with time_machine.travel(JANUARY_NIGHT, tick=True):
        assert 'value="2027-01-14"' in offered(world.coordinator_cl, world.cl)
        assert 'value="2027-01-15"' in offered(world.coordinator_gb, world.gb)


def test_verified_today_is_the_day_on_the_coordinators_clock(world, session, login_as, contact_of):
    contact = contact_of(session, world.mou, world.cl, last_verified_on=date(2026, 12, 1))
    session.commit()

    with time_machine.travel(JANUARY_NIGHT, tick=True):
        answer = post(login_as(world.coordinator_cl), f"/contacts/{contact.id}/verified")

    assert answer.status_code == 302
    session.refresh(contact)
    assert contact.last_verified_on == date(2027, 1, 14)


def test_a_day_that_is_today_in_london_is_accepted_there_and_future_in_santiago(
    world, session, login_as
):
    mou, day = world.mou, date(2027, 7, 16)
    count = select(func.count()).select_from(PointOfContact)
    world.coordinator_cl.language = "en"
    session.commit()

    with time_machine.travel(JULY_NIGHT, tick=True):
        from_london = post(
            login_as(world.coordinator_gb),
            f"/mous/{mou.id}/parties/{world.gb.id}/contacts/new",
            contact_form(EMAIL, verified_on=day),
        )
        assert from_london.status_code == 302, from_london.get_data(as_text=True)[:2000]
        assert session.scalar(count) == 1

        from_santiago = post(
            login_as(world.coordinator_cl),
            f"/mous/{mou.id}/parties/{world.cl.id}/contacts/new",
            contact_form(EMAIL, verified_on=day),
        )

    assert from_santiago.status_code == 422
    assert "Choose a date between 2000 and today." in from_santiago.get_data(as_text=True)
    assert session.scalar(count) == 1

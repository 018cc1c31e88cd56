"""An MoU's list of points of contact, each page kept under a generation counter
(portal/contacts/kept.py): every change it shows is on the next view, whoever made the kept
copy; the hours are those of the week seen; nothing of it is anybody's own."""

from datetime import UTC, date, datetime

import time_machine
from flask_login import login_user

from portal.accounts.models import Party, User
from portal.contacts import services as contacts
from portal.contacts.kept import GENERATION
from portal.contacts.models import PointOfContact
from portal.contacts.queries import describe
from portal.core.db import utcnow
from portal.core.extensions import db
from portal.mous.models import Mou
from tests.contacts.conftest import make_contact
from tests.helpers.shown_fields import recorded_columns, undeclared


def _list(browser, mou) -> str:
    response = browser.get(f"/mous/{mou.id}/contacts")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_kept_list_shows_each_change_at_once(world, session, login_as):
    contact = make_contact(session, world.mou, world.gb, given_name="Emily")
    session.commit()
    reader, other = login_as(world.member_cl), login_as(world.coordinator_gb)
    for browser in (reader, other, reader):
        assert "Emily" in _list(browser, world.mou)
    session.get(PointOfContact, contact.id).given_name = "Harriet"
    session.get(Party, world.gb.id).code = "UKX"
    make_contact(session, world.mou, world.cl, given_name="Valentina")
    session.commit()
    for browser in (reader, other):
        page = _list(browser, world.mou)
        assert "Harriet" in page and "Emily" not in page and "Valentina" in page
        assert ">UKX<" in page
    session.get(PointOfContact, contact.id).removed_at = utcnow()
    session.commit()
    assert "Harriet" not in _list(reader, world.mou)


def test_each_reader_gets_the_hours_of_the_week_in_their_zone(world, session, login_as):
    make_contact(session, world.mou, world.gb, timezone="Europe/London")
    world.member_cl.language = "en"
    session.commit()
    with time_machine.travel(datetime(2026, 1, 14, 12, tzinfo=UTC)):
        santiago, london = login_as(world.member_cl), login_as(world.member_gb)
        assert "06:00–14:00 (America/Santiago, -03)" in _list(santiago, world.mou)
        assert "09:00–17:00 (Europe/London, GMT)" in _list(london, world.mou)
    with time_machine.travel(datetime(2026, 7, 15, 12, tzinfo=UTC)):  # both clocks moved
        assert "04:00–12:00 (America/Santiago, -04)" in _list(login_as(world.member_cl), world.mou)


def test_a_contact_unverified_for_a_year_is_marked_once_the_year_is_over(world, session, login_as):
    make_contact(session, world.mou, world.gb, last_verified_on=date(2025, 3, 1))
    session.commit()
    with time_machine.travel(datetime(2026, 2, 28, 23, 50, tzinfo=UTC)):
        assert "Over a year ago" not in _list(login_as(world.member_gb), world.mou)
    with time_machine.travel(datetime(2026, 3, 2, 0, 5, tzinfo=UTC)):
        assert "Over a year ago" in _list(login_as(world.member_gb), world.mou)


def test_every_field_the_kept_rows_read_raises_the_generation(app, world, session):
    make_contact(session, world.mou, world.gb)
    session.commit()
    with app.test_request_context():
        reader = db.session.get(User, world.member_gb.id)
        login_user(reader)
        mou = db.session.get(Mou, world.mou.id)
        with recorded_columns(db.engine) as reads:
            page = contacts.list_contacts(db.session, reader, mou, party_id=None, page=1)
            views = [describe(c, reader.timezone, "en") for c in page.items]
            assert views and views[0].contact.party.code
    shown = {(model, key) for model, key in reads if model is not Mou}  # the MoU: its id only
    assert undeclared(GENERATION, shown) == set()

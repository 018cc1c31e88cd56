"""An MoU's list of points of contact, each page kept whole under a generation counter
(portal/contacts/kept.py): every change it shows is on the next view, whoever made the kept
copy; the hours are those of the week seen; each reader's links are their own."""

from datetime import UTC, date, datetime

import time_machine
from flask_login import login_user

from portal.accounts.models import Party, User
from portal.contacts.kept import GENERATION
from portal.contacts.models import PointOfContact
from portal.contacts.views import _list_content
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


def test_every_field_the_kept_page_reads_raises_the_generation(app, world, session):
    """Everything the kept content reads (the MoU, its parties, the rows) is declared."""
    make_contact(session, world.mou, world.gb)
    session.commit()
    with app.test_request_context(f"/mous/{world.mou.id}/contacts"):
        reader = db.session.get(User, world.coordinator_gb.id)
        login_user(reader)
        with recorded_columns(db.engine) as reads:
            html = _list_content(world.mou.id, None, 1, utcnow())
        assert world.gb.code in html
    assert {model for model, _ in reads} >= {Mou, Party, PointOfContact}
    assert undeclared(GENERATION, reads) == set()


def test_the_kept_page_follows_the_mou_and_each_readers_rights(world, session, login_as):
    """Kept per reader's role and party: each gets their own "Add a contact" links; a renamed
    MoU, a party joining it, a reader of another party are seen at once."""
    make_contact(session, world.mou, world.gb, given_name="Emily")
    session.commit()

    def add(party) -> str:
        return f"/mous/{world.mou.id}/parties/{party.id}/contacts/new"

    britain, chile = login_as(world.coordinator_gb), login_as(world.coordinator_cl)
    member = login_as(world.member_gb)
    assert add(world.gb) in _list(britain, world.mou)
    assert add(world.gb) not in _list(chile, world.mou)
    assert add(world.cl) in _list(chile, world.mou)
    assert "Add a contact" not in _list(member, world.mou)

    session.get(Mou, world.mou.id).title_en = "Renamed cooperation"
    session.get(Mou, world.mou.id).parties.append(session.get(Party, world.co.id))
    session.commit()
    page = _list(britain, world.mou)
    assert "Renamed cooperation" in page and f"party={world.co.id}" in page

    # Colombia's coordinator now reads the list; once Colombia leaves, not any more.
    colombia = login_as(world.coordinator_co)
    assert add(world.co) in _list(colombia, world.mou)
    mou = session.get(Mou, world.mou.id)
    mou.parties = [party for party in mou.parties if party.id != world.co.id]
    session.commit()
    assert colombia.get(f"/mous/{world.mou.id}/contacts").status_code == 404

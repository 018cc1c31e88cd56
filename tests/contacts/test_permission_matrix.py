"""The permission matrix for points of contact: every actor on every route, and its effect.

The contacts belong to the Chile–UK MoU: one of Chile's (lapsed) and one of the UK's. Its
parties' delegations read them; Colombia's people, the external participant and anonymous
visitors learn nothing; each party's coordinators (and the administrator) keep their own.
"""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.contacts.models import PointOfContact
from portal.core.clock import day_in
from tests.conftest import post
from tests.helpers.contacts import contact_form
from tests.helpers.matrix import (
    LOGIN,
    Action,
    assert_actions,
    assert_hidden_like_missing,
    assert_pages,
    each_actor,
    exists_row,
    fill,
)

# Columns: anon, admin, coord CL, coord GB, member CL (in group), member CL outside,
#          observer GB, external CL, member CO, coordinator CO.
# fmt: off
PAGES = {
    "/mous/{mou}/contacts":                    (LOGIN, 200, 200, 200, 200, 200, 200, 404, 404, 404),
    "/mous/{mou}/contacts?party={gb}&page=2":  (LOGIN, 200, 200, 200, 200, 200, 200, 404, 404, 404),
    "/mous/{mou_cl_co}/contacts":              (LOGIN, 200, 200, 404, 200, 200, 404, 404, 200, 200),
    "/contacts/{contact}":                     (LOGIN, 200, 200, 200, 200, 200, 200, 404, 404, 404),
    "/contacts/{contact}/contact.vcf":         (LOGIN, 200, 200, 200, 200, 200, 200, 404, 404, 404),
    "/mous/{mou}/parties/{cl}/contacts.vcf":   (LOGIN, 200, 200, 200, 200, 200, 200, 404, 404, 404),
    "/mous/{mou}/parties/{co}/contacts.vcf":   (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "/mous/{mou}/parties/{cl}/contacts/new":   (LOGIN, 200, 200, 403, 403, 403, 403, 404, 404, 404),
    "/mous/{mou}/parties/{gb}/contacts/new":   (LOGIN, 200, 403, 200, 403, 403, 403, 404, 404, 404),
    "/mous/{mou}/parties/{co}/contacts/new":   (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "/contacts/{contact}/edit":                (LOGIN, 200, 200, 403, 403, 403, 403, 404, 404, 404),
    "/contacts/{contact}/remove":              (LOGIN, 200, 200, 403, 403, 403, 403, 404, 404, 404),
    "/contacts/{contact_gb}/edit":             (LOGIN, 200, 403, 200, 403, 403, 403, 404, 404, 404),
    "/contacts/{removed}":                     (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
}

ACTION_ANSWERS = {
    "add a Chilean contact":                   (LOGIN, 302, 302, 403, 403, 403, 403, 404, 404, 404),
    "add a British contact":                   (LOGIN, 302, 403, 302, 403, 403, 403, 404, 404, 404),
    "edit":                                    (LOGIN, 302, 302, 403, 403, 403, 403, 404, 404, 404),
    "confirm verified":                        (LOGIN, 302, 302, 403, 403, 403, 403, 404, 404, 404),
    "ask before removing":                     (LOGIN, 200, 200, 403, 403, 403, 403, 404, 404, 404),
    "remove":                                  (LOGIN, 302, 302, 403, 403, 403, 403, 404, 404, 404),
    "edit a removed contact":                  (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
}
# fmt: on


def _verified_today(session, ids) -> bool:
    """Marked verified on the day of whoever confirmed it, on their clock: those who may are
    of the contact's party, whose zone the factories give its people."""
    contact = session.get(PointOfContact, ids["contact"])
    return contact.last_verified_on == day_in(contact.party.timezone)


def _removed(session, ids) -> bool:
    contact = session.get(PointOfContact, ids["contact"])
    return contact.removed_at is not None


ACTIONS = {
    "add a Chilean contact": Action(
        "/mous/{mou}/parties/{cl}/contacts/new",
        contact_form("new.cl@example.org"),
        exists_row(PointOfContact, email="new.cl@example.org", party_id="{cl}"),
    ),
    "add a British contact": Action(
        "/mous/{mou}/parties/{gb}/contacts/new",
        contact_form("new.gb@example.org"),
        exists_row(PointOfContact, email="new.gb@example.org", party_id="{gb}"),
    ),
    "edit": Action(
        "/contacts/{contact}/edit",
        contact_form("turno@csirt.example.cl", role="Matrix role"),
        exists_row(PointOfContact, id="{contact}", role="Matrix role"),
    ),
    "confirm verified": Action(
        "/contacts/{contact}/verified",
        {},
        _verified_today,
    ),
    "ask before removing": Action("/contacts/{contact}/remove", {}, None),
    "remove": Action("/contacts/{contact}/remove", {"confirmed": "1"}, _removed),
    "edit a removed contact": Action(
        "/contacts/{removed}/edit",
        contact_form("gone@example.org", role="Back again"),
        exists_row(PointOfContact, role="Back again"),
    ),
}


@pytest.fixture
def ids(world, session, contact_of) -> dict:
    lapsed = date.today() - timedelta(days=400)
    contact = contact_of(session, world.mou, world.cl, last_verified_on=lapsed)
    contact_gb = contact_of(session, world.mou, world.gb, email="incidents@ncsc.example.uk")
    removed = contact_of(session, world.mou, world.gb, email="gone@example.uk")
    removed.removed_at = removed.created_at
    contact_of(session, world.mou_cl_co, world.co, email="contacto@colcert.example.co")
    session.flush()
    result = {
        "mou": world.mou.id,
        "mou_cl_co": world.mou_cl_co.id,
        "contact": contact.id,
        "contact_gb": contact_gb.id,
        "removed": removed.id,
        "cl": world.cl.id,
        "gb": world.gb.id,
        "co": world.co.id,
    }
    session.commit()
    return result


@each_actor
def test_contact_pages(actor, ids, browser_for):
    assert_pages(browser_for, actor, PAGES, ids)


@each_actor
def test_contact_changes_and_their_effect(actor, ids, browser_for, session):
    assert_actions(browser_for, session, actor, ACTIONS, ACTION_ANSWERS, ids)


def test_every_contact_change_is_in_the_matrix():
    assert ACTIONS.keys() == ACTION_ANSWERS.keys()


def test_a_denied_contact_looks_exactly_like_a_missing_one(ids, login_as, world):
    pages = ("/contacts/{contact}", "/contacts/{contact}/contact.vcf")
    assert_hidden_like_missing(login_as(world.member_co), pages, ids, "contact")


def test_lists_and_vcards_hold_only_the_mous_contacts(ids, login_as, world):
    browser = login_as(world.member_cl_outside_group)
    listing = browser.get(fill("/mous/{mou}/contacts", ids)).get_data(as_text=True)
    assert f'/contacts/{ids["contact"]}"' in listing
    assert f'/contacts/{ids["contact_gb"]}"' in listing
    assert f'/contacts/{ids["removed"]}"' not in listing
    assert "colcert" not in listing
    cards = browser.get(fill("/mous/{mou}/parties/{gb}/contacts.vcf", ids)).get_data(as_text=True)
    assert cards.count("BEGIN:VCARD") == 1
    assert "incidents@ncsc.example.uk" in cards and "gone@example.uk" not in cards


def test_removing_keeps_the_contact_and_its_history(ids, login_as, world, session):
    browser = login_as(world.coordinator_cl)
    response = post(browser, fill("/contacts/{contact}/remove", ids), {"confirmed": "1"})
    assert response.status_code == 302
    contact = session.scalar(select(PointOfContact).where(PointOfContact.id == ids["contact"]))
    assert contact.removed_at is not None and contact.removed_by_id == world.coordinator_cl.id
    assert [change.field for change in contact.changes] == ["removed"]
    assert browser.get(fill("/contacts/{contact}", ids)).status_code == 404


def test_the_mou_page_links_to_its_contacts(ids, login_as, world):
    page = login_as(world.observer_gb).get(fill("/mous/{mou}", ids)).get_data(as_text=True)
    assert fill('href="/mous/{mou}/contacts"', ids) in page
    assert fill("/mous/{mou}/parties/{gb}/contacts.vcf", ids) in page
    assert "/contacts/new" not in page  # an observer adds nothing
    page = login_as(world.coordinator_gb).get(fill("/mous/{mou}", ids)).get_data(as_text=True)
    assert fill("/mous/{mou}/parties/{gb}/contacts/new", ids) in page
    assert fill("/mous/{mou}/parties/{cl}/contacts/new", ids) not in page

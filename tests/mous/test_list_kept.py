"""The MoU list's kept content (views.MOU_LISTS, per role and party under the MoU pages'
counter): a change to anything a card shows (title, status, signing date, parties, a party's
name, areas) shows at once, no reader gets cards kept for another who sees other MoUs, and
each language has its own."""

import re
from datetime import date

from flask_login import login_user

from portal.accounts.models import Party, User
from portal.core.extensions import db
from portal.main.kept_pages import GENERATION
from portal.mous.models import Area, Mou, MouArea, MouStatus
from portal.mous.queries import list_mou_cards
from tests import factories
from tests.helpers.shown_fields import recorded_columns, undeclared

CSRF_TOKEN = re.compile(r'name="csrf_token" value="[^"]*"')


def _list(browser) -> str:
    response = browser.get("/mous/")
    assert response.status_code == 200
    return CSRF_TOKEN.sub("", response.get_data(as_text=True))  # signed with the second


def _kept_once(browser) -> str:
    _list(browser)  # the first page after logging in is not kept (the login is being written)
    kept = _list(browser)
    assert _list(browser) == kept
    return kept


def test_a_changed_title_status_or_date_shows_at_once(world, session, login_as):
    world.member_gb.language = "en"
    session.commit()
    browser = login_as(world.member_gb)
    assert "MoU CL–GB" in _kept_once(browser)
    world.mou.title_en = "Cyber cooperation"
    session.commit()
    page = _list(browser)
    assert "Cyber cooperation" in page and "MoU CL–GB" not in page
    world.mou.status = MouStatus.EXPIRED
    world.mou.signed_on = date(2021, 3, 4)
    session.commit()
    page = _list(browser)
    assert "Expired" in page and "2021" in page


def test_parties_and_areas_changed_show_at_once(world, session, login_as):
    world.member_gb.language = "en"
    session.commit()
    browser = login_as(world.member_gb)
    assert ">CO<" not in _kept_once(browser)
    world.mou.parties.append(world.co)
    session.commit()
    assert ">CO<" in _list(browser)
    world.co.name_en = "Republic of Colombia"
    session.commit()
    assert 'title="Republic of Colombia"' in _list(browser)
    assert "Cyber defence" not in _list(browser)
    session.add(MouArea(mou_id=world.mou.id, area=Area.CYBER_DEFENCE))
    session.commit()
    assert "Cyber defence" in _list(browser)


def test_a_reader_of_other_mous_never_gets_the_kept_cards(world, session, login_as):
    for person in (world.member_gb, world.member_co):
        person.language = "en"
        person.timezone = "UTC"
    session.commit()
    assert "MoU CL–GB" in _kept_once(login_as(world.member_gb))
    page = _kept_once(login_as(world.member_co))
    assert "MoU CL–GB" not in page and "MoU Chile–Colombia" in page


def test_each_language_has_its_own_cards(world, session, login_as):
    world.member_cl.language = "en"
    world.member_cl_outside_group.language = "es"
    world.member_cl.timezone = world.member_cl_outside_group.timezone = "UTC"
    session.commit()
    assert "MoU CL–GB" in _kept_once(login_as(world.member_cl))
    page = _kept_once(login_as(world.member_cl_outside_group))
    assert "MdE CL–GB" in page and "MoU CL–GB" not in page


def test_an_mou_made_later_shows_at_once(world, session, login_as):
    world.member_gb.language = "en"
    session.commit()
    browser = login_as(world.member_gb)
    _kept_once(browser)
    factories.make_mou(session, [world.gb, world.co], title_en="New MoU GB–CO")
    session.commit()
    assert "New MoU GB–CO" in _list(browser)


def test_every_field_the_list_reads_raises_the_counter(app, world):
    with app.test_request_context("/mous/"):
        reader = db.session.get(User, world.member_gb.id)
        login_user(reader)
        with recorded_columns(db.engine) as reads:
            page = list_mou_cards(db.session, reader, page=1)
    assert [card.id for card in page.items] == [world.mou.id]
    assert {model for model, _ in reads} >= {Mou, Party}
    assert undeclared(GENERATION, reads) == set()


def test_kept_per_role_and_party(world, session, login_as):
    """An administrator of Chile sees every MoU, a member of Chile their party's: neither
    gets the other's list; a member moved to another party gets that party's at once."""
    factories.make_mou(session, [world.gb, world.co], title_en="MoU GB–CO")
    for person in (world.admin, world.member_cl):
        person.language, person.timezone = "en", "UTC"
    session.commit()
    assert "MoU GB–CO" in _kept_once(login_as(world.admin))
    browser = login_as(world.member_cl)
    assert "MoU GB–CO" not in _kept_once(browser)
    world.member_cl.party = world.co
    session.commit()
    page = _list(browser)
    assert "MoU GB–CO" in page and "MoU CL–GB" not in page

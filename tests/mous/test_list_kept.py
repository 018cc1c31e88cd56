"""The MoU list's kept cards (views.MOU_CARDS): a change to anything a card shows (title,
status, signing date, parties, a party's name, areas) shows at once, no reader gets cards
kept for another who sees other MoUs, and each language has its own."""

import re
from datetime import date

from portal.mous.models import Area, MouArea, MouStatus
from tests import factories

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

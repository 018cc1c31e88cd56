"""What the action list's filter offers a reader is kept per reader under the "actions"
counter (filter_choices.py): each change it shows, made by another process, is on the next
page; the versions it carries keep a group's list current."""

from datetime import date, timedelta

from sqlalchemy import select

from portal.mous.models import Membership
from tests.factories import make_action

TODAY = date.today()


def _page(browser, query: str = "") -> str:
    response = browser.get(f"/actions/{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _kept(browser, query: str = "") -> str:
    _page(browser, query)  # the first page after logging in is not kept (the login is written)
    return _page(browser, query)


def test_a_group_renamed_or_left_shows_in_the_filter_at_once(world, session, login_as):
    world.member_cl.language = "en"
    session.commit()
    browser = login_as(world.member_cl)
    assert "Binational Working Group" in _kept(browser)
    world.group.name_en = "Incident Response Group"
    session.commit()
    page = _page(browser)
    assert "Incident Response Group" in page and "Binational Working Group" not in page
    membership = session.scalar(
        select(Membership).where(
            Membership.working_group_id == world.group.id,
            Membership.user_id == world.member_cl.id,
        )
    )
    session.delete(membership)
    session.commit()
    assert "Incident Response Group" not in _page(browser)


def test_a_party_joining_an_mou_or_renamed_shows_in_the_party_filter_at_once(
    world, session, login_as
):
    world.member_gb.language = "en"
    session.commit()
    browser = login_as(world.member_gb)
    assert "Country CO" not in _kept(browser)
    world.mou.parties.append(world.co)
    session.commit()
    assert "Country CO" in _page(browser)
    world.co.name_en = "Republic of Colombia"
    session.commit()
    page = _page(browser)
    assert "Republic of Colombia" in page and "Country CO" not in page


def test_an_item_changed_shows_at_once_in_the_list_of_a_group_read_whole(world, session, login_as):
    """The group's list is kept under its actions version, which the kept choices carry: a
    change must raise the counter too, or the older version would serve the older list."""
    item = make_action(session, world.group, [world.member_gb], TODAY + timedelta(3), title="Old")
    world.member_cl.language = "en"
    session.commit()
    browser = login_as(world.member_cl)
    query = f"?group={world.group.id}"
    assert "Old" in _kept(browser, query)
    item.title_en = "Rotate the signing keys"
    session.commit()
    assert "Rotate the signing keys" in _page(browser, query)
    item.owners = [world.member_cl]
    session.commit()
    assert "Rotate the signing keys" in _page(browser, "?mine=y")

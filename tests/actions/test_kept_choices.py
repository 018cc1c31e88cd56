"""What the action list's filter offers a reader is kept per reader under the "actions"
counter (filter_choices.py): each change it shows, made by another process, is on the next
page; the versions it carries keep a group's list current."""

from datetime import date, timedelta

from flask_login import login_user

from portal.accounts.models import Party, User
from portal.actions.filter_choices import GENERATION, _read_choices
from portal.actions.versions import ACTIONS_VERSION
from portal.core.extensions import db
from portal.mous.models import Membership, Mou, WorkingGroup
from tests.factories import leave_group, make_action
from tests.helpers.shown_fields import recorded_columns, uncounted_causes, undeclared

TODAY = date.today()


def _page(browser, query: str = "") -> str:
    response = browser.get(f"/actions/{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _kept(browser, query: str = "") -> str:
    _page(browser, query)  # the first page after logging in is not kept (the login is written)
    return _page(browser, query)


def test_every_field_the_choices_read_raises_the_counter(app, world):
    """What the choices read is declared, and so is every cause of the actions versions they
    carry (raised by a statement of their own, which no flush of the counter would see)."""
    with app.test_request_context("/actions/"):
        reader = db.session.get(User, world.member_cl.id)
        login_user(reader)
        with recorded_columns(db.engine) as reads:
            choices = _read_choices(db.session, reader)
    assert [group[0] for group in choices.groups] == [world.group.id]
    # (the memberships are read through an alias, which the recording does not see)
    assert {model for model, _ in reads} >= {WorkingGroup, Mou, Party}
    assert GENERATION.fields_of(Membership) is None
    assert undeclared(GENERATION, reads) == set()
    assert uncounted_causes(ACTIONS_VERSION, GENERATION) == set()


def test_a_group_renamed_or_left_shows_in_the_filter_at_once(world, session, login_as):
    world.member_cl.language = "en"
    session.commit()
    browser = login_as(world.member_cl)
    assert "Binational Working Group" in _kept(browser)
    world.group.name_en = "Incident Response Group"
    session.commit()
    page = _page(browser)
    assert "Incident Response Group" in page and "Binational Working Group" not in page
    leave_group(session, world.group, world.member_cl)
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

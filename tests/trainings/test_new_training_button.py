"""The list's "New training" button offers the MoUs the reader may create trainings under
(trainings.access.manage_trainings_clause): a coordinator their party's, an administrator
every one, a member none."""

import re

from tests import factories
from tests.helpers.trainings import in_days


def _new_training_links(browser) -> set[str]:
    page = browser.get("/trainings/").get_data(as_text=True)
    return set(re.findall(r'href="(/mous/\d+/trainings/new)"', page))


def _link(mou) -> str:
    return f"/mous/{mou.id}/trainings/new"


def test_each_reader_is_offered_the_mous_they_manage(world, login_as):
    assert _new_training_links(login_as(world.coordinator_cl)) == {
        _link(world.mou),
        _link(world.mou_cl_co),
    }
    assert _new_training_links(login_as(world.coordinator_gb)) == {_link(world.mou)}
    assert _new_training_links(login_as(world.coordinator_co)) == {_link(world.mou_cl_co)}
    assert _new_training_links(login_as(world.admin)) == {_link(world.mou), _link(world.mou_cl_co)}
    assert _new_training_links(login_as(world.member_cl)) == set()
    assert _new_training_links(login_as(world.observer_gb)) == set()


def test_every_offered_mou_accepts_the_form(world, login_as):
    browser = login_as(world.coordinator_cl)
    for link in _new_training_links(browser):
        assert browser.get(link).status_code == 200


def test_the_offer_is_read_with_the_lines_and_shows_a_new_mou_at_once(world, session, login_as):
    """The MoUs ride on the list's lines (trainings/listing.py): a page with lines, a page
    past the last (none to carry them) and a list kept before the change all offer the same,
    current MoUs."""
    factories.make_training(session, world.mou, in_days(5), title_en="Forensics")
    session.commit()
    browser = login_as(world.coordinator_co)
    assert _new_training_links(browser) == {_link(world.mou_cl_co)}
    colombia = next(p for p in world.mou_cl_co.parties if p.id == world.coordinator_co.party_id)
    newer = factories.make_mou(session, [colombia], title_en="A MoU Colombia only")
    session.commit()
    expected = {_link(world.mou_cl_co), _link(newer)}
    assert _new_training_links(browser) == expected
    page = browser.get("/trainings/?page=99").get_data(as_text=True)
    assert set(re.findall(r'href="(/mous/\d+/trainings/new)"', page)) == expected
    assert page.index(_link(newer)) < page.index(_link(world.mou_cl_co))  # by English title

"""The list's "New training" button offers the MoUs the reader may create trainings under
(trainings.access.manage_trainings_clause): a coordinator their party's, an administrator
every one, a member none."""

import re


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

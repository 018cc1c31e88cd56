"""Adding materials: the training's page links its managers to a page of their own, which
lists the documents of the training's MoU they may open and have not added, most recently
changed first, a page at a time; readers of the training get no list of documents."""

import re

from portal.core.tlp import TLP
from portal.trainings import materials
from tests.conftest import post


def _titles(page: str) -> list[str]:
    return re.findall(r'href="/documents/\d+"[^>]*>([^<]+)</a>', page)


def test_the_training_page_links_managers_to_the_list(world, login_as, training, make_document):
    make_document(world.member_cl, mou=world.mou, title="Course slides")
    manager_page = login_as(world.coordinator_gb).get(f"/trainings/{training.id}").get_data(True)
    assert f'href="/trainings/{training.id}/materials/add"' in manager_page
    assert "Course slides" not in manager_page  # not a material yet, and no select of them
    reader_page = login_as(world.member_cl).get(f"/trainings/{training.id}").get_data(True)
    assert "/materials/add" not in reader_page


def test_the_mous_documents_the_manager_may_open_newest_first(
    world, login_as, training, make_document
):
    make_document(world.member_cl, mou=world.mou, title="Older agenda")
    make_document(world.member_cl, mou=world.mou, title="Newer slides")
    make_document(world.member_cl, mou=world.mou_cl_co, title="Another MoU's")
    make_document(world.member_cl, mou=world.mou, tlp=TLP.RED, title="Red for Chile")
    page = login_as(world.coordinator_gb).get(f"/trainings/{training.id}/materials/add")
    assert page.status_code == 200
    assert _titles(page.get_data(as_text=True)) == ["Newer slides", "Older agenda"]


def test_an_added_document_is_a_material_and_leaves_the_list(
    world, login_as, training, make_document
):
    slides = make_document(world.member_cl, mou=world.mou, title="Newer slides")
    browser = login_as(world.coordinator_gb)
    add_page = f"/trainings/{training.id}/materials/add"
    response = post(
        browser, f"/trainings/{training.id}/materials", {"document_id": slides}, token_from=add_page
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/trainings/{training.id}")
    detail = browser.get(f"/trainings/{training.id}").get_data(as_text=True)
    assert f"/trainings/{training.id}/materials/{slides}" in detail
    assert "No document of this MoU is left to add." in browser.get(add_page).get_data(True)


def test_a_document_of_another_mou_is_refused(world, session, login_as, training, make_document):
    elsewhere = make_document(world.member_cl, mou=world.mou_cl_co, title="Another MoU's")
    world.coordinator_cl.language = "en"
    session.commit()
    browser = login_as(world.coordinator_cl)
    response = post(browser, f"/trainings/{training.id}/materials", {"document_id": elsewhere})
    assert response.headers["Location"].endswith(f"/trainings/{training.id}/materials/add")
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Choose a document of this training&#39;s MoU." in page
    detail = browser.get(f"/trainings/{training.id}").get_data(as_text=True)
    assert "No materials yet." in detail


def test_every_candidate_is_reached_page_by_page(
    world, login_as, training, make_document, monkeypatch
):
    monkeypatch.setattr(materials, "CANDIDATES_PER_PAGE", 2)
    for title in ("First", "Second", "Third"):
        make_document(world.member_cl, mou=world.mou, title=title)
    browser = login_as(world.coordinator_gb)
    add_page = f"/trainings/{training.id}/materials/add"
    assert _titles(browser.get(add_page).get_data(as_text=True)) == ["Third", "Second"]
    assert _titles(browser.get(add_page + "?page=2").get_data(as_text=True)) == ["First"]

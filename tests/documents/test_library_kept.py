"""The library's body is kept per reader and query under the MoU pages' counter, and under the
stamp of the reader's libraries once the counter moved on (library_views.landing): every
change it shows, made by another process, is on the next page."""

from flask_login import login_user

from portal.accounts.models import User
from portal.core.extensions import db
from portal.core.tlp import TLP
from portal.documents import queries
from portal.documents.models import Document
from portal.documents.versions import LIBRARY_VERSION
from portal.main.kept_pages import GENERATION
from tests.factories import leave_group
from tests.helpers.shown_fields import recorded_columns, uncounted_causes, undeclared


def _library(browser, query: str = "") -> str:
    response = browser.get(f"/documents/{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _kept(browser, query: str = "") -> str:
    _library(browser, query)  # the first page after logging in is not kept (the login is written)
    return _library(browser, query)


def test_every_cause_of_the_libraries_versions_and_every_field_of_the_stamp_raise_the_counter(
    app, world
):
    assert uncounted_causes(LIBRARY_VERSION, GENERATION) == set()
    with app.test_request_context("/documents/"):
        reader = db.session.get(User, world.member_cl.id)
        login_user(reader)
        with recorded_columns(db.engine) as reads:
            queries.reader_library_stamp(db.session, reader)
    assert undeclared(GENERATION, reads) == set()


def test_a_document_added_or_retitled_shows_at_once(world, session, login_as, make_document):
    world.member_gb.language = "en"
    session.commit()
    browser = login_as(world.member_gb)
    assert "Tabletop exercise" not in _kept(browser)
    document_id = make_document(
        world.member_cl, mou=world.mou, group=world.group, title="Tabletop exercise"
    )
    assert "Tabletop exercise" in _library(browser)
    document = session.get(Document, document_id)
    document.title_en = "Tabletop exercise report"
    session.commit()
    assert "Tabletop exercise report" in _library(browser)


def test_a_group_left_hides_its_documents_at_once(world, session, login_as, make_document):
    make_document(
        world.member_cl, mou=world.mou, group=world.group, tlp=TLP.AMBER, title="Group playbook"
    )
    world.member_gb.language = "en"
    session.commit()
    browser = login_as(world.member_gb)
    assert "Group playbook" in _kept(browser)
    leave_group(session, world.group, world.member_gb)
    session.commit()
    assert "Group playbook" not in _library(browser)


def test_a_named_reader_added_sees_the_red_document_at_once(
    world, session, login_as, make_document
):
    document_id = make_document(
        world.member_cl, mou=world.mou, group=world.group, tlp=TLP.RED, title="Red briefing"
    )
    world.member_gb.language = "en"
    session.commit()
    browser = login_as(world.member_gb)
    assert "Red briefing" not in _kept(browser)
    document = session.get(Document, document_id)
    document.readers.append(session.get(User, world.member_gb.id))
    session.commit()
    assert "Red briefing" in _library(browser)

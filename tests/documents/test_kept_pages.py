"""The document page and the library's list are rendered once and kept (documents/versions.py):
every change they show is on the next view, whoever made the kept copy, and a reader never
gets a copy made for someone with other rights."""

from sqlalchemy import select, update

from portal.accounts.models import User
from portal.core.extensions import db
from portal.core.tlp import TLP
from portal.documents import page as document_page
from portal.documents.models import Document, DocumentPage, DocumentTag
from portal.documents.versions import PAGE_VERSION
from portal.mous.models import Membership, Mou, WorkingGroup
from tests.conftest import post
from tests.helpers.shown_fields import recorded_columns, undeclared
from tests.helpers.statements import counted_queries


def _text(browser, path: str, status: int = 200) -> str:
    response = browser.get(path)
    assert response.status_code == status, path
    return response.get_data(as_text=True)


def test_the_document_page_shows_each_change_at_once(world, session, login_as, make_document):
    document_id = make_document(world.member_gb, mou=world.mou, group=world.group, tlp=TLP.GREEN)
    path = f"/documents/{document_id}"
    reader, other = login_as(world.member_gb), login_as(world.coordinator_gb)
    for browser in (reader, other, reader):  # kept after the first view
        assert "Incident response protocol" in _text(browser, path)
    document = session.get(Document, document_id)
    document.title_en = "Revised protocol"
    session.add(DocumentTag(document_id=document_id, tag="revised"))
    session.get(WorkingGroup, world.group.id).name_en = "Renamed group"
    session.get(Mou, world.mou.id).title_en = "Renamed MoU"
    session.get(User, world.member_gb.id).name = "Emily Renamed"
    session.commit()
    for browser in (reader, other):
        page = _text(browser, path)
        assert "Revised protocol" in page and "Incident response protocol" not in page
        assert "revised" in page and "Renamed group" in page and "Renamed MoU" in page
        assert "Emily Renamed" in page


def _kept(session, document_id: int) -> dict[str, DocumentPage]:
    session.expire_all()
    rows = session.scalars(select(DocumentPage).where(DocumentPage.document_id == document_id))
    return {row.language: row for row in rows}


def test_the_page_is_kept_in_the_database_once_per_language(
    world, session, login_as, make_document, engine
):
    """Kept in the database, one rendering serves every process and server: a reader's
    second view is the login's statement and the page's, with nothing rendered again."""
    document_id = make_document(world.member_gb, mou=world.mou, group=world.group)
    path = f"/documents/{document_id}"
    session.get(Document, document_id).title_es = "Protocolo de incidentes"
    world.member_cl.language = "es"
    session.commit()
    english, spanish = login_as(world.member_gb), login_as(world.member_cl)
    assert "Incident response protocol" in _text(english, path)
    assert set(_kept(session, document_id)) == {"en"}
    assert "Protocolo de incidentes" in _text(spanish, path)
    kept = _kept(session, document_id)
    version = session.get(Document, document_id).page_version
    assert set(kept) == {"en", "es"} and {row.version for row in kept.values()} == {version}
    with counted_queries(engine) as statements:
        assert "Incident response protocol" in _text(english, path)
    assert len(statements) == 2, statements
    session.get(Document, document_id).title_en = "Revised protocol"
    session.commit()
    assert "Revised protocol" in _text(english, path)
    assert _kept(session, document_id)["en"].version == version + 1


def test_a_page_kept_with_other_templates_is_rendered_again(
    world, session, login_as, make_document
):
    """A deployment that changes the page's templates or catalogues makes kept pages stale."""
    document_id = make_document(world.member_gb, mou=world.mou, group=world.group)
    path = f"/documents/{document_id}"
    reader = login_as(world.member_gb)
    _text(reader, path)
    session.execute(
        update(DocumentPage)
        .where(DocumentPage.document_id == document_id)
        .values(layout="older-layout", html="An older page")
    )
    session.commit()
    page = _text(reader, path)
    assert "An older page" not in page and "Incident response protocol" in page
    assert _kept(session, document_id)["en"].layout != "older-layout"


def test_the_kept_page_has_each_readers_buttons_and_mark(world, session, login_as, make_document):
    """One kept page, each reader's own buttons: follow or stop following, and only those
    who may edit get the edit buttons and the missing translation's mark."""
    document_id = make_document(world.member_gb, mou=world.mou, group=world.group)
    path = f"/documents/{document_id}"
    author, reader = login_as(world.member_gb), login_as(world.member_cl)
    world.member_cl.language = "en"
    session.commit()
    page = _text(author, path)
    assert "Translation missing" in page and "Upload a new version" in page
    assert post(reader, f"{path}/follow").status_code == 302
    page = _text(reader, path)
    assert "Translation missing" not in page and "Upload a new version" not in page
    assert "Stop following" in page and "Stop following" not in _text(author, path)
    assert 'name="csrf_token" type="hidden" value=""' not in page


def test_a_kept_document_page_is_refused_to_whoever_may_not_open_it(
    world, session, login_as, make_document
):
    document_id = make_document(
        world.member_cl, mou=world.mou, group=world.group, tlp=TLP.AMBER_STRICT
    )
    path = f"/documents/{document_id}"
    owner, other_party = login_as(world.member_cl), login_as(world.member_gb)
    _text(owner, path)
    assert f'action="{path}/follow"' in _text(owner, path)  # now from what is kept
    _text(other_party, path, 404)
    _text(login_as(world.member_cl_outside_group), path, 404)
    session.get(Document, document_id).tlp = TLP.RED  # nobody named but the author
    session.commit()
    _text(login_as(world.coordinator_cl), path, 404)


def test_only_those_who_may_edit_get_the_edit_buttons(world, login_as, make_document):
    document_id = make_document(world.member_gb, mou=world.mou, group=world.group)
    path = f"/documents/{document_id}"
    edit = f'href="/documents/{document_id}/edit"'
    author, coordinator = login_as(world.member_gb), login_as(world.coordinator_gb)
    reader, other_coordinator = login_as(world.member_cl), login_as(world.coordinator_cl)
    for _ in range(2):
        assert edit in _text(author, path) and edit in _text(coordinator, path)
        assert edit not in _text(reader, path) and edit not in _text(other_coordinator, path)


def test_every_field_the_document_page_reads_raises_its_version(app, world, make_document):
    document_id = make_document(
        world.member_gb, mou=world.mou, group=world.group, tlp=TLP.RED, readers=[world.member_cl]
    )
    with app.test_request_context():
        reader = db.session.get(User, world.member_gb.id)  # named on it: its author
        parameters = {
            "document_id": document_id,
            "language": "en",
            "viewer_id": reader.id,
            "viewer_party_id": reader.party_id,
        }
        with recorded_columns(db.engine) as reads:
            row = db.session.execute(document_page._document_query(reader.role), parameters)
            shown = document_page._shown_document(db.session, row.first())
    assert shown.readers and shown.versions and shown.mou.parties
    shown_reads = {(model, key) for model, key in reads if model is not DocumentPage}
    assert undeclared(PAGE_VERSION, shown_reads) == set()  # (the kept page is not shown data)


def _listed(browser, query: str = "") -> str:
    return _text(browser, f"/documents/?{query}")


def test_the_library_list_shows_each_change_at_once(world, session, login_as, make_document):
    reader, other = login_as(world.member_gb), login_as(world.coordinator_gb)
    for browser in (reader, other, reader):
        assert "New strategy" not in _listed(browser)
    document_id = make_document(world.member_gb, mou=world.mou, title="New strategy")
    for browser in (reader, other):
        assert "New strategy" in _listed(browser)
    session.get(User, world.member_gb.id).name = "Emily Renamed"
    session.get(Document, document_id).title_en = "Renamed strategy"
    session.commit()
    for browser in (reader, other):
        page = _listed(browser)
        assert "Renamed strategy" in page and "Emily Renamed" in page
    session.delete(session.get(Document, document_id))
    session.commit()
    assert "Renamed strategy" not in _listed(reader)


def test_the_kept_library_list_never_shows_a_document_to_another_party(
    world, session, login_as, make_document
):
    make_document(
        world.member_cl, mou=world.mou, group=world.group, tlp=TLP.AMBER_STRICT, title="Own"
    )
    owner, other_party = login_as(world.member_cl), login_as(world.member_gb)
    coordinator, outside = login_as(world.coordinator_gb), login_as(world.member_cl_outside_group)
    for _ in range(2):
        assert "Own" in _listed(owner, f"mou={world.mou.id}")
        for browser in (other_party, coordinator):
            assert "Own" not in _listed(browser, f"mou={world.mou.id}")
        assert "Own" not in _listed(outside)
    shared = make_document(world.member_gb, mou=world.mou, tlp=TLP.RED, title="Named only")
    assert "Named only" not in _listed(owner)
    document = session.get(Document, shared)
    document.readers.append(session.get(User, world.member_cl.id))
    session.commit()
    assert "Named only" in _listed(owner)
    assert "Named only" not in _listed(coordinator)


def test_the_library_list_follows_the_readers_groups(world, session, login_as, make_document):
    make_document(world.member_gb, mou=world.mou, group=world.group, tlp=TLP.AMBER, title="Amb")
    outside = login_as(world.member_cl_outside_group)
    assert "Amb" not in _listed(outside)
    joined = Membership(working_group_id=world.group.id, user_id=world.member_cl_outside_group.id)
    session.add(joined)
    session.commit()
    assert "Amb" in _listed(outside)
    assert session.scalar(select(Mou.library_version).where(Mou.id == world.mou.id)) > 1

"""The library's landing page (/documents/, the "Documents" menu) and what the document page
says of its file, its uploader and who may see it."""

import html
import re
from datetime import UTC, datetime

import pytest
from flask_babel import force_locale
from sqlalchemy import update

from portal.accounts.models import User
from portal.core.tlp import TLP
from portal.documents.models import Document, DocumentCategory, DocumentLanguage
from portal.documents.wording import file_size
from tests.helpers.statements import count_statements

# A title in the other language than the reader's is in a span naming it (lang="...").
TITLE = re.compile(r'href="/documents/\d+">(?:<span lang="\w\w">)?([^<]+)')


def _titles(response) -> list[str]:
    """The documents listed, in their order on the page."""
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return TITLE.findall(response.get_data(as_text=True))


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _reads_english(session, person) -> None:
    """The account's language is the page's: a Chilean who chose English."""
    session.execute(update(User).where(User.id == person.id).values(language="en"))
    session.commit()


@pytest.fixture
def library(world, make_document, session) -> dict:
    """Documents of every kind of reach, each added on its own day of December 2026."""
    w = world
    made = {
        "Chilean strict": dict(author=w.member_cl, group=w.group, tlp=TLP.AMBER_STRICT),
        "British strict": dict(author=w.member_gb, group=w.group, tlp=TLP.AMBER_STRICT),
        "Shared amber": dict(
            author=w.member_gb, group=w.group, tlp=TLP.AMBER, language=DocumentLanguage.SPANISH
        ),
        "MoU green": dict(
            author=w.coordinator_cl, tlp=TLP.GREEN, category=DocumentCategory.LEGISLATION
        ),
        "Red named": dict(
            author=w.member_cl, group=w.group, tlp=TLP.RED, readers=[w.coordinator_gb]
        ),
        "Colombian green": dict(author=w.member_co, mou=w.mou_cl_co, tlp=TLP.GREEN),
        "Colombian clear": dict(author=w.member_co, mou=w.mou_cl_co, tlp=TLP.CLEAR),
    }
    ids = {}
    for title, fields in made.items():
        fields.setdefault("mou", w.mou)
        ids[title] = make_document(fields.pop("author"), title=title, **fields)
    for day, title in enumerate(made, start=1):
        added = datetime(2026, 12, day, 12, tzinfo=UTC)
        session.execute(update(Document).where(Document.id == ids[title]).values(created_at=added))
    session.commit()
    return ids


# Who sees what --------------------------------------------------------------------------------

NEWEST_FIRST = [
    "Colombian clear",
    "Colombian green",
    "Red named",
    "MoU green",
    "Shared amber",
    "British strict",
    "Chilean strict",
]
MEMBER_CL_READS = {
    "Chilean strict",
    "Shared amber",
    "MoU green",
    "Red named",
    "Colombian green",
    "Colombian clear",
}
READS = {
    "member_cl": MEMBER_CL_READS,
    "member_gb": {"British strict", "Shared amber", "MoU green"},
    "coordinator_gb": {"British strict", "Shared amber", "MoU green", "Red named"},
    "observer_gb": {"British strict", "Shared amber", "MoU green"},
    "member_cl_outside_group": {"MoU green", "Colombian green", "Colombian clear"},
    "member_co": {"Colombian green", "Colombian clear"},
}


def test_each_reader_sees_exactly_the_documents_they_may_open(library, login_as, world):
    for reader, listed in READS.items():
        page = login_as(getattr(world, reader)).get("/documents/")
        assert _titles(page) == [t for t in NEWEST_FIRST if t in listed], reader
        count = rf'id="document-count">{len(listed)} (documents?|documentos?)<'
        assert re.search(count, page.text), reader


def test_the_other_partys_strict_document_is_never_listed_nor_counted(library, login_as, world):
    british = login_as(world.member_gb)
    for query in ("", "?tlp=amber_strict", f"?group={world.group.id}", f"?mou={world.mou.id}"):
        assert "Chilean strict" not in _titles(british.get("/documents/" + query))
    strict = british.get("/documents/?tlp=amber_strict")
    assert _titles(strict) == ["British strict"]
    assert 'id="document-count">1 document<' in strict.text


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for path in ("/documents/", "/documents/new"):
        answer = client.get(path)
        assert answer.status_code == 302
        assert "/auth/login" in answer.headers["Location"]


# Filters, sorting, paging -------------------------------------------------------------------


def test_filters_narrow_the_list_and_sorting_orders_it(library, login_as, world):
    chilean = login_as(world.member_cl)

    def listed(**filters) -> list[str]:
        return _titles(chilean.get("/documents/", query_string=filters))

    assert listed(mou=world.mou_cl_co.id) == ["Colombian clear", "Colombian green"]
    assert listed(group=world.group.id) == ["Red named", "Shared amber", "Chilean strict"]
    assert listed(mou=world.mou.id, group=world.group.id, tlp="amber") == ["Shared amber"]
    assert listed(category="legislation") == ["MoU green"]
    assert listed(language="es") == ["Shared amber"]
    # Santiago is three hours behind UTC in December: noon UTC is still that day there.
    assert listed(since="2026-12-04", until="2026-12-05") == ["Red named", "MoU green"]
    assert listed(until="2026-12-01") == ["Chilean strict"]
    newest = [t for t in NEWEST_FIRST if t in MEMBER_CL_READS]
    assert listed(sort="newest") == newest
    assert listed(sort="oldest") == newest[::-1]
    assert listed(sort="title") == sorted(newest)


BAD_FILTERS = {
    "mou=abc": "Choose one of the options in the list.",
    "tlp=purple": "Choose one of the options in the list.",
    "sort=size": "Choose one of the options in the list.",
    "since=2026-13-45": "Enter the date as YYYY-MM-DD.",
    "until=9999-12-31": "Choose a date between 1970 and 2999.",
    "since=2026-12-05&until=2026-12-01": "The end date comes before the start date.",
    "mou={other_mou}&group={group}": "This working group is not of the chosen MoU.",
    "group={hidden_group}": "Choose one of the options in the list.",  # not the reader's
}


def test_a_bad_filter_value_is_explained_not_an_error(world, login_as, session):
    _reads_english(session, world.member_cl)
    chilean = login_as(world.member_cl)
    for query, message in BAD_FILTERS.items():
        path = "/documents/?" + query.format(
            other_mou=world.mou_cl_co.id, group=world.group.id, hidden_group=world.group_cl_co.id
        )
        page = chilean.get(path)
        assert page.status_code == 400, query
        text = _text(page)
        assert message in text, query
        assert 'id="filter-errors"' in text and 'id="document-count"' not in text, query


@pytest.mark.parametrize("app_overrides", [{"PAGE_SIZE": 2}])
def test_pages_follow_each_other_and_keep_the_filters(library, login_as, world):
    chilean = login_as(world.member_cl)
    pages = [chilean.get(f"/documents/?sort=title&page={n}") for n in (1, 2, 3)]
    assert [title for page in pages for title in _titles(page)] == sorted(MEMBER_CL_READS)
    assert 'href="/documents/?page=2&amp;sort=title"' in pages[0].text


def test_the_number_of_statements_does_not_grow_with_the_page(app, library, login_as, world):
    chilean = login_as(world.member_cl)

    def statements_for(path: str) -> int:
        chilean.get(path)  # the first reading may keep what later ones reuse (the navbar)
        with count_statements(app) as statements:
            assert chilean.get(path).status_code == 200
        return len(statements)

    with_one = statements_for(f"/documents/?group={world.group.id}&tlp=amber")
    with_six = statements_for("/documents/")
    assert with_one == with_six


# Uploading from the library -------------------------------------------------------------------


def test_the_upload_button_leads_to_the_chosen_library_or_to_a_choice(world, login_as):
    chilean = login_as(world.member_cl)
    assert 'id="upload-link" href="/documents/new"' in chilean.get("/documents/").text
    group_page = chilean.get(f"/documents/?group={world.group.id}").text
    assert f'id="upload-link" href="/working-groups/{world.group.id}/documents/new"' in group_page
    mou_page = chilean.get(f"/documents/?mou={world.mou_cl_co.id}").text
    assert f'id="upload-link" href="/mous/{world.mou_cl_co.id}/documents/new"' in mou_page
    choice = chilean.get("/documents/new").text
    for mou in (world.mou, world.mou_cl_co):
        assert f'href="/mous/{mou.id}/documents/new"' in choice
    assert f'href="/working-groups/{world.group.id}/documents/new"' in choice
    assert f'href="/working-groups/{world.group_cl_co.id}/documents/new"' not in choice


def test_an_observer_gets_no_upload_button(world, login_as):
    observer = login_as(world.observer_gb)
    for query in ("", f"?mou={world.mou.id}", f"?group={world.group.id}"):
        page = observer.get("/documents/" + query)
        assert page.status_code == 200
        assert 'id="upload-link"' not in page.text
    assert observer.get("/documents/new").status_code == 403


# The document page ----------------------------------------------------------------------------


def test_file_sizes_are_written_in_the_readers_language(app):
    with app.test_request_context():
        with force_locale("en"):
            assert file_size(1_234_567) == "1.2 MB"
            assert file_size(2_048) == "2 kB"
        with force_locale("es"):
            assert file_size(1_234_567) == "1,2 MB"


def test_the_document_page_shows_uploader_size_and_who_may_see_it(world, make_document, login_as):
    document = make_document(
        world.member_gb, mou=world.mou, group=world.group, tlp=TLP.AMBER, content=b"x" * 1_250
    )
    english = _text(login_as(world.member_gb).get(f"/documents/{document}"))
    assert "Uploaded by" in english and "Emily Clarke" in english and "1.2 kB" in english
    assert (
        "TLP:AMBER — the members of the working group “Binational Working Group” of both "
        "delegations (Country CL and Country GB), and the coordinators and observers of "
        "those delegations."
    ) in english
    spanish = _text(login_as(world.member_cl).get(f"/documents/{document}"))
    assert "Subido por" in spanish and "Emily Clarke" in spanish and "1,2 kB" in spanish
    assert (
        "TLP:AMBER — los integrantes del grupo de trabajo «Grupo de Trabajo Binacional» de "
        "ambas delegaciones (País CL y País GB), y los coordinadores(as) y observadores(as) "
        "de esas delegaciones."
    ) in spanish


# (label, in a working group?): the sentence in English, then in Spanish.
SENTENCES = {
    (TLP.AMBER_STRICT, True): (
        "TLP:AMBER+STRICT — only the members of the working group “Binational Working Group” "
        "of the delegation of Country CL, and that delegation's coordinators and observers.",
        "TLP:AMBER+STRICT — solo los integrantes del grupo de trabajo «Grupo de Trabajo "
        "Binacional» de la delegación de País CL, y los coordinadores(as) y observadores(as) "
        "de esa delegación.",
    ),
    (TLP.AMBER_STRICT, False): (
        "TLP:AMBER+STRICT — only the delegation of Country CL in the MoU “MoU CL–GB”.",
        "TLP:AMBER+STRICT — solo la delegación de País CL en el MdE «MdE CL–GB».",
    ),
    (TLP.AMBER, False): (
        "TLP:AMBER — every account of both delegations (Country CL and Country GB) in the MoU "
        "“MoU CL–GB”.",
        "TLP:AMBER — todas las cuentas de ambas delegaciones (País CL y País GB) en el MdE "
        "«MdE CL–GB».",
    ),
    (TLP.GREEN, True): (
        "TLP:GREEN — every account of both delegations (Country CL and Country GB) in the MoU "
        "“MoU CL–GB”.",
        "TLP:GREEN — todas las cuentas de ambas delegaciones (País CL y País GB) en el MdE "
        "«MdE CL–GB».",
    ),
    (TLP.RED, True): (
        "TLP:RED — only the people named: Coordinator GB and Javiera Soto.",
        "TLP:RED — solo las personas nombradas: Coordinator GB y Javiera Soto.",
    ),
    (TLP.CLEAR, False): (
        "TLP:CLEAR — anyone, even without an account.",
        "TLP:CLEAR — cualquier persona, incluso sin una cuenta.",
    ),
}


def test_each_label_is_said_in_plain_words_in_both_languages(
    world, make_document, login_as, session
):
    documents = {
        (tlp, grouped): make_document(
            world.member_cl,
            mou=world.mou,
            group=world.group if grouped else None,
            tlp=tlp,
            readers=[world.coordinator_gb] if tlp == TLP.RED else (),
        )
        for tlp, grouped in SENTENCES
    }
    author = login_as(world.member_cl)
    for case, document in documents.items():
        assert SENTENCES[case][1] in _text(author.get(f"/documents/{document}")), case
    _reads_english(session, world.member_cl)
    for case, document in documents.items():
        assert SENTENCES[case][0] in _text(author.get(f"/documents/{document}")), case

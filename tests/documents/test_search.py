"""Search in Spanish and English: stemming, case, accents; paged; only what the reader may open."""

import pytest
from sqlalchemy import event

from portal.core.extensions import db
from portal.core.tlp import TLP
from portal.documents import search
from portal.documents.models import DocumentLanguage

SPANISH = DocumentLanguage.SPANISH
ENGLISH = DocumentLanguage.ENGLISH


def _found(browser, query: str) -> str:
    response = browser.get("/documents/search", query_string={"q": query})
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("language", "text", "query"),
    [
        (SPANISH, "La Ciberseguridad del Estado", "ciberseguridad"),
        (SPANISH, "CIBERSEGURIDAD NACIONAL", "ciberseguridad"),
        (SPANISH, "ciberseguridad", "CIBERSEGURIDAD"),
        (SPANISH, "Una estrategia para los CSIRT", "estrategias"),
        (SPANISH, "Las estrategias nacionales", "estrategia"),
        (SPANISH, "Plan de capacitación", "capacitaciones"),
        (SPANISH, "Plan de capacitaciones", "capacitacion"),
        (SPANISH, "Política de protección de datos", "politica proteccion"),
        (ENGLISH, "A national strategy", "strategies"),
        (ENGLISH, "Incident responses between teams", "incidents response"),
        (ENGLISH, "Cyber défense", "defense"),
    ],
)
def test_stemming_case_and_accents(language, text, query, world, login_as, make_document):
    document_id = make_document(
        world.member_cl,
        mou=world.mou,
        tlp=TLP.GREEN,
        title="Documento",
        content=text.encode(),
        language=language,
    )
    assert f"/documents/{document_id}" in _found(login_as(world.member_gb), query)


def test_every_word_is_required_and_unrelated_words_find_nothing(world, login_as, make_document):
    make_document(world.member_cl, mou=world.mou, content=b"National strategy")
    browser = login_as(world.member_gb)
    assert "1 document found" in _found(browser, "national strategy")
    assert "0 documents found" in _found(browser, "national banana")
    assert "0 documents found" in _found(browser, "zebra")


def test_snippets_highlight_the_match_and_escape_the_text(world, login_as, make_document):
    make_document(
        world.member_cl,
        mou=world.mou,
        language=SPANISH,
        content=b"<script>alert(1)</script> La estrategia de <b>ciberseguridad</b>",
    )
    page = _found(login_as(world.member_cl), "estrategias")
    assert "<mark>estrategia</mark>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert "&lt;b&gt;ciberseguridad&lt;/b&gt;" in page


def test_a_match_far_into_a_long_text_still_gets_its_snippet(world, login_as, make_document):
    filler = "Texto de relleno sin las palabras buscadas. " * 400  # 17,600 characters
    make_document(
        world.member_cl,
        mou=world.mou,
        language=SPANISH,
        title="Documento largo",
        content=f"{filler}Aquí está la estrategia nacional. {filler}".encode(),
    )
    page = _found(login_as(world.member_gb), "estrategias")
    assert "1 document found" in page
    assert "<mark>estrategia</mark> nacional" in page


def test_results_never_include_what_the_reader_may_not_open(world, login_as, make_document):
    for label in TLP:
        make_document(
            world.member_cl,
            mou=world.mou,
            group=world.group,
            tlp=label,
            title=f"Ornithology {label.value}",
        )
    # member_co shares no MoU with this group: only the TLP:CLEAR one.
    page = _found(login_as(world.member_co), "ornithology")
    assert "1 documento encontrado" in page  # a Colombian account reads Spanish
    assert "Ornithology clear" in page
    # observer_gb: clear, green, amber; not the owning party's AMBER+STRICT, not RED.
    page = _found(login_as(world.observer_gb), "ornithology")
    assert "3 documents found" in page
    assert "Ornithology amber_strict" not in page and "Ornithology red" not in page


def test_results_are_paged(world, login_as, make_document):
    for number in range(23):
        make_document(world.member_cl, mou=world.mou, title=f"Protocol {number}")
    browser = login_as(world.member_gb)
    first = _found(browser, "protocol")
    assert "23 documents found" in first
    assert first.count('class="fw-semibold"') == 20
    second = browser.get("/documents/search?q=protocol&page=2").get_data(as_text=True)
    assert second.count('class="fw-semibold"') == 3


def test_an_empty_or_odd_query_finds_nothing_without_error(world, login_as):
    browser = login_as(world.member_cl)
    for query in ("", "   ", "'\"&|!():*", "a" * 5000, "\x00"):
        response = browser.get("/documents/search", query_string={"q": query})
        assert response.status_code == 200


def test_beyond_the_counted_matches_the_page_says_more_and_paging_stops(
    world, login_as, make_document, monkeypatch
):
    # As with more than 1,000 matches, on a library small enough for a test.
    monkeypatch.setattr(search, "MAX_COUNTED", 3)
    for number in range(5):
        make_document(world.member_cl, mou=world.mou, title=f"Protocol {number}")
    browser = login_as(world.member_gb)
    first = _found(browser, "protocol")
    assert "More than 3 documents found" in first
    assert first.count('class="fw-semibold"') == 3
    spanish = _found(login_as(world.member_co), "zebra")
    assert "0 documentos encontrados" in spanish
    far = browser.get("/documents/search?q=protocol&page=9").get_data(as_text=True)
    assert far.count('class="fw-semibold"') == 3  # the last page there is, not an empty one


def test_on_postgresql_the_match_is_answered_by_the_search_index(
    app, world, login_as, make_document
):
    """The query must use the GIN index's own expression, or PostgreSQL reads every
    document's terms (the planner prefers that on a table this small, hence enable_seqscan)."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL only")
    make_document(world.member_cl, mou=world.mou, title="Protocol")
    statements = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if "to_tsvector" in statement:
            statements.append((statement, parameters))

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", keep)
        try:
            assert "1 document found" in _found(login_as(world.member_gb), "protocol")
        finally:
            event.remove(db.engine, "before_cursor_execute", keep)
        assert statements
        with db.engine.connect() as connection:
            connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
            for statement, parameters in statements:
                plan = connection.exec_driver_sql("EXPLAIN " + statement, parameters).scalars()
                assert "ix_documents_search_terms" in "\n".join(plan)

"""The search page kept for each reader and query (portal/search/kept.py): a kept page is found
with one short statement and is the page made anew; every table the search reads raises the
counter it is kept under; a change made through another session (as another server process
would) shows at once; two readers never get each other's page; a refused query is never kept."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from portal.core.extensions import db
from portal.core.kept import KeptGeneration
from portal.core.search import _KEPT
from portal.core.tlp import TLP
from portal.documents.models import Document
from portal.meetings.models import Meeting, Reply
from portal.mous.models import Membership
from portal.search.kept import GENERATION, NAME, PAGES
from tests import factories
from tests.helpers.statements import assert_kept, count_statements, tables_raising, tables_read
from tests.search.conftest import WORD

# The navigation bar's form tokens are signed with the second: two pages made a second apart
# differ in them only.
CSRF = re.compile(r'name="(csrf_token|submission_token)"(?: type="hidden")? value="[^"]*"')
HREF = re.compile(r'<li class="mb-3" data-kind="[a-z_]+">.*?href="([^"]+)"', re.S)
# Read for the reader alone (their session, first), and the counter itself.
NOT_DECLARED = {"user_sessions", "kept_generations"}
# The terms kept for the declared models, written only as those change (checked below).
TERMS = {"search_entries", "search_entries_fts", "document_fts"}
READERS = ("member_gb", "coordinator_gb", "member_cl", "observer_gb")


def _page(browser, q: str = WORD, status: int = 200, **args) -> str:
    response = browser.get("/search", query_string={"q": q, **args})
    assert response.status_code == status
    return CSRF.sub("", response.get_data(as_text=True))


def _found(browser, query: str = WORD, **args) -> set[str]:
    return set(HREF.findall(_page(browser, query, **args)))


def _kept(app) -> int:
    entries = app.extensions.get(PAGES.name)
    return 0 if entries is None else len(entries._entries)


@pytest.mark.parametrize("reader", ("member_gb", "coordinator_gb"))
def test_a_kept_page_is_found_in_one_statement_and_is_the_page_made_anew(
    app, world, login_as, found, reader
):
    browser = login_as(getattr(world, reader))
    _page(browser)  # the first page after logging in is not kept (the login is written)
    kept = assert_kept(app, lambda: _page(browser), PAGES.name)
    assert f"/meetings/{found.meeting}" in kept


@pytest.mark.parametrize("reader", READERS)
def test_every_table_the_search_reads_raises_its_counter(app, world, login_as, found, reader):
    browser = login_as(getattr(world, reader))
    _page(browser)
    # Every kind, each alone too, a query that finds nothing and a second page.
    for args in ({}, {"kind": "document"}, {"kind": "action_item"}, {"page": "2"}):
        for query in (WORD, "capacitaciones informe", "zebra"):
            app.extensions.pop(PAGES.name, None)
            with count_statements(app) as statements:
                _page(browser, query, **args)
            read = tables_read(statements)
            assert "search_entries" in read or "documents" in read, (query, args)
            undeclared = read - tables_raising(GENERATION) - NOT_DECLARED - TERMS
            assert undeclared == set(), (query, args)
            # The changes of a person that raise nothing are read by no search (after the
            # reader's session and account, first).
            searched = " ".join(statements[1:])
            for raises in GENERATION.raised_by:
                assert not any(field in searched for field in raises.unshown), (query, args)


def test_the_terms_the_search_reads_change_only_with_models_that_raise_its_counter():
    declared = {model for raises in GENERATION.raised_by for model in raises.models()}
    assert {kept.model for kept in _KEPT} <= declared
    assert Document in declared  # its terms are on its row (and SQLite's document_fts)


def test_a_new_document_and_a_new_title_show_at_once(app, world, session, login_as, found):
    browser = login_as(world.member_gb)
    _page(browser)
    before = _found(browser, "drill")
    assert before == set()

    document = factories.make_document(
        app, world.member_cl, world.mou, world.group, title="Drill report", tlp=TLP.GREEN
    )
    assert _found(browser, "drill") == {f"/documents/{document}"}

    session.get(Meeting, found.meeting).title_en = "Regional drill plan"
    session.commit()
    assert _found(browser, "drill") == {f"/documents/{document}", f"/meetings/{found.meeting}"}
    assert "Regional drill plan" in _page(browser, "drill")


def test_a_membership_removed_hides_the_groups_hits_at_once(world, session, login_as, found):
    browser = login_as(world.member_gb)
    _page(browser)
    assert f"/meetings/{found.meeting}" in _found(browser)
    assert f"/actions/{found.action}" in _found(browser)

    membership = session.scalar(select(Membership).where(Membership.user_id == world.member_gb.id))
    session.delete(membership)
    session.commit()

    shown = _found(browser)
    assert f"/meetings/{found.meeting}" not in shown
    assert f"/actions/{found.action}" not in shown


def test_a_stricter_tlp_hides_a_document_at_once(world, session, login_as, found):
    browser = login_as(world.member_gb)
    _page(browser)
    assert f"/documents/{found.document}" in _found(browser)

    session.get(Document, found.document).tlp = TLP.AMBER_STRICT
    session.commit()

    assert f"/documents/{found.document}" not in _found(browser)


def test_readers_of_one_party_and_role_never_get_each_others(world, login_as, found):
    author = login_as(world.member_cl)
    _page(author)
    assert f"/documents/{found.strict_document}" in _found(author)
    assert f"/meetings/{found.meeting}" in _found(author)

    outside = login_as(world.member_cl_outside_group)
    _page(outside)
    shown = _found(outside)

    assert f"/documents/{found.strict_document}" not in shown
    assert f"/meetings/{found.meeting}" not in shown
    assert f"/documents/{found.document}" in shown  # what both may open


def test_each_language_gets_its_own_page(world, session, login_as, found):
    browser = login_as(world.member_gb)
    _page(browser)
    english = _page(browser)
    assert "Plan de capacitaciones" not in english and "Training plan" in english

    world.member_gb.language = "es"
    session.add(world.member_gb)
    session.commit()
    spanish = login_as(world.member_gb)
    _page(spanish)
    page = _page(spanish)

    assert "Plan de capacitaciones" in page and "Reunión" in page
    # The first browser's English page is no longer served: the reader reads Spanish now.
    assert "Plan de capacitaciones" in _page(browser)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"q": "x" * 201}, "The search is too long"),
        ({"q": " ".join(["word"] * 13)}, "The search has too many words"),
        ({"q": WORD, "kind": "nothing"}, "Choose a kind from the list."),
    ],
)
def test_a_refused_query_is_never_kept(app, world, login_as, found, args, message):
    browser = login_as(world.member_gb)
    _page(browser)
    app.extensions.pop(PAGES.name, None)
    for _ in range(2):
        with count_statements(app) as statements:
            page = _page(browser, **args, status=400)
        assert message in page
        assert not any("kept_generations" in statement for statement in statements)
    assert _kept(app) == 0


def test_without_its_generation_row_nothing_is_kept(app, world, session, login_as, found):
    session.execute(KeptGeneration.__table__.delete().where(KeptGeneration.name == NAME))
    session.commit()
    browser = login_as(world.member_gb)
    _page(browser)
    with count_statements(app) as statements:
        page = _page(browser)

    assert len(statements) > 2
    assert f"/meetings/{found.meeting}" in page
    assert _kept(app) == 0
    with app.app_context():
        db.session.remove()


def test_a_change_of_what_the_search_reads_raises_the_counter_and_a_login_does_not(
    world, session, login_as, found
):
    def counter() -> int:
        session.expire_all()
        return session.scalar(select(KeptGeneration.generation).where(KeptGeneration.name == NAME))

    before = counter()
    login_as(world.member_cl)  # writes their last login
    login_as(world.coordinator_gb)  # and a coordinator's second factor
    assert counter() == before
    meeting = factories.make_meeting(
        session,
        world.group,
        datetime(2026, 6, 1, 14, tzinfo=UTC),
        title_en="Another",
        invitees=[world.member_gb],
    )
    session.commit()
    assert counter() == before + 1
    meeting.invitees[0].reply = Reply.ACCEPTED  # who is invited is the same
    session.commit()
    assert counter() == before + 1

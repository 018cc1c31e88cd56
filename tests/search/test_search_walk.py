"""A kind's rows read newest first (a common word, PostgreSQL) are asked whether their entry
matches as text when the query's stems are plain: exactly the entries its tsvector matches."""

import pytest
from sqlalchemy import func, select

from portal.core.search import SEARCH_CONFIGURATION, SearchEntry, SearchQuery
from portal.core.search_match import tsquery_of, walked_match

# "capacitaciones nacionales" is stemmed as ('capacit', 'nacional') in Spanish,
# ('capacitacion', 'nacional') in English and left as it is: an entry must hold both words
# stemmed one same way.
TERMS = {
    1: "capacit nacional",
    2: "capacitaciones nacionales",
    3: "capacit nacionales",  # each word, but stemmed two ways: no match
    4: "capacitacion",
    5: "alfa nacional capacitacion zeta",
    6: "capacitacionx nacional",
    7: "strasse straße nacional",
}
QUERIES = ["capacitaciones nacionales", "Capacitación", "nacional", "straße", "capacit zeta"]


@pytest.fixture
def entries(backend, session):
    if backend["name"] != "postgresql":
        pytest.skip("the walk is PostgreSQL's way through a common word")
    session.add_all(SearchEntry(kind="walk_test", object_id=i, terms=t) for i, t in TERMS.items())
    session.commit()
    return session


def _found(session, clauses) -> set[int]:
    statement = select(SearchEntry.object_id).where(SearchEntry.kind == "walk_test", *clauses)
    return set(session.scalars(statement))


@pytest.mark.parametrize("text", QUERIES)
def test_a_walked_entry_matches_exactly_as_its_tsvector(entries, text):
    query = SearchQuery.parse(text)
    vector = func.to_tsvector(SEARCH_CONFIGURATION, SearchEntry.terms)
    expected = _found(entries, [vector.op("@@")(tsquery_of(query))])
    assert _found(entries, walked_match(SearchEntry.terms, query)) == expected


def test_the_words_must_be_stemmed_one_same_way(entries):
    query = SearchQuery.parse("capacitaciones nacionales")
    assert _found(entries, walked_match(SearchEntry.terms, query)) == {1, 2, 5}

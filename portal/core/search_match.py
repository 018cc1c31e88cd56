"""How a search reads the entries portal/core/search.py keeps: which of a kind's entries match
a query (and a reader's scope), and each kind's hits newest first, from the matches when
they are few, else walking the kind's rows by date (newest_matches)."""

import re

from sqlalchemy import (
    ColumnElement,
    Select,
    Text,
    and_,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from portal.core.search import (
    ENTRIES_FTS,
    SCOPE_VECTOR,
    SEARCH_CONFIGURATION,
    SEARCH_VECTOR,
    SearchEntry,
    SearchQuery,
    kept_kinds,
    scoped_kinds,
)


def scope_query(groups: Select, person: int | ColumnElement) -> ColumnElement:
    """A reader's tokens (search.scope_terms) as a tsquery: any of the groups `groups` selects
    (ids), or the person. Computed once per statement (an uncorrelated subquery), so the GIN
    index takes it."""
    token = literal("g") + func.cast(groups.subquery().c[0], Text)
    # A reader of no group: a token no entry holds (an empty tsquery also matches nothing,
    # with a notice).
    tokens = select(func.string_agg(token, literal(" | "))).scalar_subquery()
    # The person may be a bound parameter (a statement built once per role: ParametricViewer).
    person_token = (
        f"u{person}" if isinstance(person, int) else literal("u") + func.cast(person, Text)
    )
    expression = func.concat_ws(" | ", func.coalesce(tokens, literal("none")), person_token)
    return func.to_tsquery(SEARCH_CONFIGURATION, expression)


def matching(
    session: Session, kind: str, query: SearchQuery, scope: ColumnElement | None = None
) -> ColumnElement[bool]:
    """A WHERE clause on SearchEntry: the entries of `kind` holding every word of the query
    (in one of its stemmings), and within `scope` (scope_query) if given (PostgreSQL). Join
    it to the kind's table on `SearchEntry.object_id`."""
    alternatives = query.alternatives()
    if session.get_bind().dialect.name == "postgresql":
        # Written as the index's expression and kind, so its partial GIN index answers it.
        clause = (SearchEntry.kind == kind) & index_match(SEARCH_VECTOR, query)
        return clause if scope is None else clause & SCOPE_VECTOR.op("@@")(scope)
    expression = " OR ".join(
        "(" + " AND ".join(f'"{t}"' for t in terms) + ")" for terms in alternatives
    )
    found = select(ENTRIES_FTS.c.rowid).where(
        literal_column("search_entries_fts").op("MATCH")(expression)
    )
    return (SearchEntry.kind == kind) & SearchEntry.id.in_(found)


def without_parallel_workers(session: Session) -> None:
    """No parallel workers for the rest of the transaction (PostgreSQL): a search reads at
    most a few thousand entries of a kind, and the planner, guessing a word's frequency over
    every kind's entries together, gave two workers to the 1 agenda item holding "training"
    (it expected 30,000): their start cost ~20 ms, the read itself 0.1 ms."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))


# A kind's matches read at most: up to this many, the hits are found from the matches (GIN
# index, then sorted); past it a word is common, and the kind's rows are read newest first
# up to the page's end, each asked whether it matches (see newest_matches).
MATCHES_READ = 2_000


def newest_matches(
    session: Session,
    statement: Select,
    kind: str,
    object_id: ColumnElement,
    query: SearchQuery,
    visible: ColumnElement[bool],
    newest: tuple[ColumnElement, ColumnElement],
    limit: int,
    scope: ColumnElement | None = None,
    parameters: dict | None = None,
) -> Select:
    """The statement of one search source: its rows whose `kind` entry (joined on `object_id`)
    matches the query and that the feature's `visible` clause lets the reader open, newest
    first by (date, id), at most `limit`.

    On PostgreSQL the way is chosen from how many entries of the kind match (counted once per
    query for every kind, up to MATCHES_READ), not left to the planner: it takes a word's
    frequency over every kind's entries together, so it guessed a word in every minutes rare
    (and walked 15,000 action items by date computing each one's tsvector, 430 ms) or a rare
    pair common. Few matches: the rows are those the GIN index gives (an uncorrelated IN),
    sorted. Many: the rows are read newest first and each one's entry asked, behind a fence
    (OFFSET 0) so the planner cannot turn it back into a join; the entry's terms are first
    looked through for each word's stems as plain text, so the tsvector is made only of the
    entries holding them (a minutes' costs ~0.2 ms).

    A kind that keeps a scope is counted on its own, within the reader's `scope` (a
    scope_query; None: every entry), and its few matches are those of the reader's tokens:
    a member reads a tenth of the action items, and a word in a sixth of them all may be in
    none of theirs (the walk then read all 100,000).

    `parameters`: the values of the bound parameters of `visible` and `scope` (a clause built
    once per role: core.access.viewer_parameters), for the count made here; the caller runs
    the statement returned with them too."""
    date, id_ = newest
    ordered = (date.desc(), id_.desc())
    if session.get_bind().dialect.name != "postgresql":
        return (
            statement.join(SearchEntry, SearchEntry.object_id == object_id)
            .where(matching(session, kind, query), visible)
            .order_by(*ordered)
            .limit(limit)
        )
    found = select(SearchEntry.object_id).where(
        matching(session, kind, query, scope if kind in scoped_kinds() else None)
    )
    if kind in scoped_kinds():
        counted = (SearchEntry.kind == kind) & holds_each_word(SEARCH_VECTOR, query)
        if scope is not None:
            counted &= SCOPE_VECTOR.op("@@")(scope)
        common = matches_many(session, select(SearchEntry.object_id).where(counted), parameters)
    else:
        common = kind in common_kinds(session, query)
    if not common:
        # An array computed once: as an IN, the planner would join it and, guessing it large,
        # still walk the rows by date.
        matches = func.any(func.array(found.scalar_subquery()))
        return statement.where(object_id == matches, visible).order_by(*ordered).limit(limit)
    entry = aliased(SearchEntry, name="walked_entry")
    holds = select(literal_column("1")).where(
        entry.kind == kind, entry.object_id == object_id, *walked_match(entry.terms, query)
    )
    return statement.where(visible, exists(holds.offset(0))).order_by(*ordered).limit(limit)


def walked_match(terms: ColumnElement, query: SearchQuery) -> tuple[ColumnElement[bool], ...]:
    """Whether the stored `terms` of a row read newest first match the query: first looked
    through for each word's stems as plain text, so the tsvector (0.1 ms and more to make)
    is made only of the rows holding them. Ask it behind a fence (an EXISTS with OFFSET 0)
    so the planner cannot turn the walk back into a join.

    A query of plain stems (ASCII letters and digits) is matched as text alone: the parser splits
    the terms at their spaces only, so the tsvector would hold exactly the words looked
    through, and making it of a matching minutes (~0.5 ms) was most of a walk's cost."""
    if all(_PLAIN_STEM.fullmatch(s) for s in query.stems()):
        return (_holds_stems(terms, query), _holds_an_alternative(terms, query))
    return (
        _holds_stems(terms, query),
        func.to_tsvector(SEARCH_CONFIGURATION, terms).op("@@")(tsquery_of(query)),
    )


# A stem PostgreSQL's parser reads as one word of itself when spaces surround it, in any
# locale (an underscore, say, splits one; other scripts' letters and digits are left to it).
_PLAIN_STEM = re.compile(r"[a-z0-9]+")


def _holds_an_alternative(terms: ColumnElement, query: SearchQuery) -> ColumnElement[bool]:
    """Whether the terms hold every word stemmed one of the ways (tsquery_of, as text)."""
    padded = literal(" ") + terms + literal(" ")
    return or_(
        *(
            and_(*(func.strpos(padded, f" {t} ") > 0 for t in sorted(set(terms_))))
            for terms_ in query.alternatives()
        )
    )


def matches_many(session: Session, matching: Select, parameters: dict | None = None) -> bool:
    """Whether more than MATCHES_READ rows match, `matching` selecting them through a GIN
    index. Counted from a materialized CTE: the planner plans it for every row, so through
    the index; with the LIMIT beside it, it expected to stop early reading the table in
    order and made the tsvector of each row (2,000 documents, ~200 ms)."""
    found = matching.cte("matching").prefix_with("MATERIALIZED")
    counted = select(literal_column("1")).select_from(found).limit(MATCHES_READ + 1).subquery()
    total = session.scalar(select(func.count()).select_from(counted), parameters)
    return (total or 0) > MATCHES_READ


def index_match(vector: ColumnElement, query: SearchQuery) -> ColumnElement[bool]:
    """Whether the tsvector holds the query (tsquery_of), for a GIN index to answer. Each
    word's stems are first asked as a condition of their own (implied by the match): from
    an OR of ANDs the index takes no word as required and read every item of each word ("de"
    is in two thirds of the action items: 29 ms for "protocolo de intercambio", which none
    holds), from an AND of ORs it reads only the rarest word's items (0.4 ms)."""
    exact = vector.op("@@")(tsquery_of(query))
    if len(query.words) < 2:
        return exact
    return and_(holds_each_word(vector, query), exact)


def holds_each_word(vector: ColumnElement, query: SearchQuery) -> ColumnElement[bool]:
    """Whether the tsvector holds each word in one of its stemmings (implied by the match,
    and nearly always the same entries): what the matches are counted by, as the GIN index
    then checks one condition of each item, not two (20,000 minutes hold "incident" and
    "protocol": 14 ms instead of 29 on a loaded machine)."""
    each_word = " & ".join(
        "(" + " | ".join(f"'{s}'" for s in sorted(stems)) + ")" for stems in query.stems_by_word()
    )
    return vector.op("@@")(func.to_tsquery(SEARCH_CONFIGURATION, each_word))


def tsquery_of(query: SearchQuery) -> ColumnElement:
    """The query as a tsquery: every word required, in one of the ways it was stemmed."""
    expression = " | ".join(
        "(" + " & ".join(f"'{t}'" for t in terms) + ")" for terms in query.alternatives()
    )
    return func.to_tsquery(SEARCH_CONFIGURATION, expression)


def _holds_stems(terms: ColumnElement, query: SearchQuery) -> ColumnElement[bool]:
    """Whether the terms hold, for each word, one of its stems (implied by the match)."""
    padded = literal(" ") + terms + literal(" ")
    return and_(
        *(
            or_(*(func.strpos(padded, f" {s} ") > 0 for s in sorted(word_stems)))
            for word_stems in query.stems_by_word()
        )
    )


def common_kinds(session: Session, query: SearchQuery) -> frozenset[str]:
    """The kinds of which more than MATCHES_READ entries match the query (PostgreSQL), counted
    in one statement the first time a source asks, then kept with the query."""
    if query.common is None:
        counted = union_all(
            *(
                select(literal(kind).label("kind"))
                .where(SearchEntry.kind == kind, holds_each_word(SEARCH_VECTOR, query))
                .limit(MATCHES_READ + 1)
                for kind in sorted(kept_kinds() - scoped_kinds())
            )
        ).subquery()
        rows = session.execute(
            select(counted.c.kind).group_by(counted.c.kind).having(func.count() > MATCHES_READ)
        )
        object.__setattr__(query, "common", frozenset(rows.scalars()))
    return query.common

"""How a search reads the entries portal/core/search.py keeps: which of a kind's entries match
a query (and a reader's scope), and each kind's hits newest first, from the matches when
they are few, else walking the kind's rows by date (newest_matches)."""

import re
from collections.abc import Callable, Hashable
from functools import lru_cache

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    Text,
    and_,
    bindparam,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from portal.core.search import (
    CONFIGURATIONS,
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


# No parallel workers for the rest of the transaction, set by count_common's statement: a
# search reads a few thousand entries of a kind at most, and the planner, guessing a word's
# frequency over all kinds, gave two workers (~20 ms to start) to the 1 agenda item holding
# "training" (0.1 ms to read). Parallel unsafe, so the count itself gets none either.
_NO_PARALLEL_WORKERS = func.set_config(
    literal("max_parallel_workers_per_gather"), literal("0"), literal(True)
)


# A kind's matches read at most: up to this many, the hits are found from the matches (GIN
# index, then sorted); past it a word is common, and the kind's rows are read newest first
# up to the page's end, each asked whether it matches (see newest_matches).
MATCHES_READ = 2_000


def newest_matches(
    session: Session,
    statement: Callable[[], Select],
    kind: str,
    object_id: ColumnElement,
    query: SearchQuery,
    visible: ColumnElement[bool],
    newest: tuple[ColumnElement, ColumnElement],
    limit: int,
    scope: ColumnElement | None = None,
    parameters: dict | None = None,
    key: Hashable | None = None,
) -> tuple[Select, dict]:
    """The statement of one search source and the parameters to run it with: its rows whose
    `kind` entry (joined on `object_id`) matches the query and that the feature's `visible`
    clause lets the reader open, newest first by (date, id), at most `limit`. `statement`
    makes the source's select (its columns and loader options).

    `key`: what `statement`, `visible` and `scope` depend on (a role, when they are built
    once per role: core.access.role_clause); the statement is then built once per key and
    shape of query (query_shape), the query's words being bound parameters, not once per
    request. None: built for this request.

    On PostgreSQL the way is chosen from how many entries of the kind match (counted once per
    query for every kind, up to MATCHES_READ), not left to the planner: it takes a word's
    frequency over every kind's entries together, so it guessed a word in every minutes rare
    (and walked 15,000 action items by date computing each one's tsvector, 430 ms) or a rare
    pair common. Few matches: the rows are those the GIN index gives (an uncorrelated IN),
    sorted. Many: the rows are read newest first and each one's entry asked, behind a fence
    (OFFSET 0) so the planner cannot turn it back into a join; the entry's terms are first
    looked through for each word's stems as plain text, so the tsvector is made only of the
    entries holding them (a minutes' costs ~0.2 ms).

    A scoped kind (an action item) is matched within the reader's `scope` (a
    scope_query; None: every entry), and its few matches are those of the reader's tokens:
    a member reads a tenth of the action items, and a word in a sixth of them all may be in
    none of theirs (the walk then read all 100,000).

    `parameters`: the values of the bound parameters of `visible` and `scope` (a clause built
    once per role: core.access.viewer_parameters), for the count made here; the caller runs
    the statement returned with the parameters returned, which hold them too."""
    date, id_ = newest
    ordered = (date.desc(), id_.desc())
    values = {**(parameters or {}), **query_parameters(query), "search_limit": limit}
    page_end = bindparam("search_limit", limit, type_=Integer)
    if session.get_bind().dialect.name != "postgresql":
        found = (
            statement()
            .join(SearchEntry, SearchEntry.object_id == object_id)
            .where(matching(session, kind, query), visible)
            .order_by(*ordered)
            .limit(page_end)
        )
        return found, values
    scoped = kind in scoped_kinds()
    shape = query_shape(query)
    if kind in query.counted:
        common = kind in query.common
    elif scoped:
        counted = built(
            ("counted", kind, key, shape, scope is not None),
            lambda: counting(scoped_matches(kind, query, scope)),
            key is not None,
        )
        common = counted_many(session, counted, values)
    else:
        common = kind in common_kinds(session, query)

    def make() -> Select:
        if not common:
            found = select(SearchEntry.object_id).where(
                matching(session, kind, query, scope if scoped else None)
            )
            # An array computed once: as an IN, the planner would join it and, guessing it
            # large, still walk the rows by date.
            matches = func.any(func.array(found.scalar_subquery()))
            return (
                statement().where(object_id == matches, visible).order_by(*ordered).limit(page_end)
            )
        entry = aliased(SearchEntry, name="walked_entry")
        holds = select(literal_column("1")).where(
            entry.kind == kind, entry.object_id == object_id, *walked_match(entry.terms, query)
        )
        return (
            statement().where(visible, exists(holds.offset(0))).order_by(*ordered).limit(page_end)
        )

    return built(("source", kind, key, shape, common), make, key is not None), values


def scoped_matches(kind: str, query: SearchQuery, scope: ColumnElement | None) -> Select:
    """The ids of a scoped kind's entries holding each word within `scope` (a scope_query;
    None: every entry), through the kind's GIN index: what its matches are counted by."""
    counted = (SearchEntry.kind == kind) & holds_each_word(SEARCH_VECTOR, query)
    if scope is not None:
        counted &= SCOPE_VECTOR.op("@@")(scope)
    return select(SearchEntry.object_id).where(counted)


# Statements built once per shape of query (and source, role...): building and keying a
# statement cost more Python than running it. Bounded: a few kinds, roles and shapes.
_BUILT: dict[Hashable, Select] = {}


def built(key: Hashable, make: Callable[[], Select], keep: bool = True) -> Select:
    """The statement `make` builds, built once per `key` (every bound value of a query's
    words named as query_parameters names it, so it runs for any query of the same shape
    with query_parameters' values); `keep` False: built each time."""
    if not keep:
        return make()
    found = _BUILT.get(key)
    if found is None:
        found = _BUILT[key] = make()
    return found


def query_shape(query: SearchQuery) -> tuple[int, bool]:
    """What the statements of a query are built from: its number of words and whether its
    stems are plain (walked_match); every other part of the query is a bound parameter."""
    return len(query.words), all(_PLAIN_STEM.fullmatch(s) for s in query.stems())


@lru_cache(maxsize=256)
def query_parameters(query: SearchQuery) -> dict:
    """The values of the bound parameters holding a query's words (named here, so a statement
    built for one query runs for another of the same shape). Shared: not to be changed."""
    values = {"search_tsquery": _tsquery_text(query), "search_each_word": _each_word_text(query)}
    for i, word_stems in enumerate(query.stems_by_word()):
        padded = [f" {s} " for s in sorted(word_stems)]
        for j in range(len(CONFIGURATIONS)):
            # A word has at most one stem per configuration; NULL for those it lacks (strpos
            # is then NULL: no match, as in an OR).
            values[f"search_stem_{i}_{j}"] = padded[j] if j < len(padded) else None
    alternatives = query.alternatives()
    for k in range(len(CONFIGURATIONS)):
        for i in range(len(query.words)):
            # NULL for an alternative that is not (an AND holding a NULL never matches).
            values[f"search_way_{k}_{i}"] = (
                f" {alternatives[k][i]} " if k < len(alternatives) else None
            )
    return values


def walked_match(terms: ColumnElement, query: SearchQuery) -> tuple[ColumnElement[bool], ...]:
    """Whether the stored `terms` of a row read newest first match the query: first looked
    through for each word's stems as plain text, so the tsvector (0.1 ms and more to make)
    is made only of the rows holding them. Ask it behind a fence (an EXISTS with OFFSET 0)
    so the planner cannot turn the walk back into a join.

    A query of plain stems (ASCII letters and digits) is matched as text alone: the parser splits
    the terms at their spaces only, so the tsvector would hold exactly the words looked
    through, and making it of a matching minutes (~0.5 ms) was most of a walk's cost."""
    if query_shape(query)[1]:
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
            and_(
                *(
                    func.strpos(padded, _bound(f"search_way_{k}_{i}", query)) > 0
                    for i in range(len(query.words))
                )
            )
            for k in range(len(CONFIGURATIONS))
        )
    )


def _bound(name: str, query: SearchQuery) -> ColumnElement:
    """The parameter `name` of query_parameters, holding its value for `query`."""
    return bindparam(name, query_parameters(query)[name], type_=String)


def matches_many(session: Session, matching: Select, parameters: dict | None = None) -> bool:
    """Whether more than MATCHES_READ rows match, `matching` selecting them through a GIN
    index."""
    return counted_many(session, counting(matching), parameters)


def counted_many(session: Session, counted: Select, parameters: dict | None = None) -> bool:
    """Whether the count `counted` (made by counting) is past MATCHES_READ."""
    return (session.scalar(counted, parameters) or 0) > MATCHES_READ


def counting(matching: Select) -> Select:
    """The count, up to MATCHES_READ + 1, of the rows `matching` selects through a GIN index.
    Counted from a materialized CTE: the planner plans it for every row, so through
    the index; with the LIMIT beside it, it expected to stop early reading the table in
    order and made the tsvector of each row (2,000 documents, ~200 ms)."""
    found = matching.cte("matching").prefix_with("MATERIALIZED")
    counted = select(literal_column("1")).select_from(found).limit(MATCHES_READ + 1).subquery()
    return select(func.count()).select_from(counted)


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
    each_word = bindparam("search_each_word", _each_word_text(query), type_=String)
    return vector.op("@@")(func.to_tsquery(SEARCH_CONFIGURATION, each_word))


def _each_word_text(query: SearchQuery) -> str:
    return " & ".join(
        "(" + " | ".join(f"'{s}'" for s in sorted(stems)) + ")" for stems in query.stems_by_word()
    )


def tsquery_of(query: SearchQuery) -> ColumnElement:
    """The query as a tsquery: every word required, in one of the ways it was stemmed."""
    expression = bindparam("search_tsquery", _tsquery_text(query), type_=String)
    return func.to_tsquery(SEARCH_CONFIGURATION, expression)


def _tsquery_text(query: SearchQuery) -> str:
    return " | ".join(
        "(" + " & ".join(f"'{t}'" for t in terms) + ")" for terms in query.alternatives()
    )


def _holds_stems(terms: ColumnElement, query: SearchQuery) -> ColumnElement[bool]:
    """Whether the terms hold, for each word, one of its stems (implied by the match)."""
    padded = literal(" ") + terms + literal(" ")
    return and_(
        *(
            or_(
                *(
                    func.strpos(padded, _bound(f"search_stem_{i}_{j}", query)) > 0
                    for j in range(len(CONFIGURATIONS))
                )
            )
            for i in range(len(query.words))
        )
    )


def common_kinds(session: Session, query: SearchQuery) -> frozenset[str]:
    """The kinds of which more than MATCHES_READ entries match the query (PostgreSQL), counted
    once (count_common, if not already) and kept with the query."""
    if query.common is None:
        count_common(session, query, {}, None, {})
    return query.common


def count_common(
    session: Session,
    query: SearchQuery,
    counts: dict[str, Callable[[SearchQuery, Hashable], Select]],
    role: Hashable,
    parameters: dict,
) -> None:
    """Count, in one statement, whether more than MATCHES_READ objects of each kind match the
    query (PostgreSQL), kept with the query for newest_matches: every kind counted by its
    entries (common_kinds), and those of `counts` (kind: a function of the query and the
    reader's `role` selecting the ids of the matching objects through a GIN index), run with
    `parameters` (the reader's: core.access.viewer_parameters). Each of these is counted from
    a materialized CTE, as matches_many says why."""
    if session.get_bind().dialect.name != "postgresql":
        return
    entries = tuple(sorted(kept_kinds() - scoped_kinds() - set(counts)))
    own = tuple(sorted(counts))
    statement = built(
        ("common", entries, own, role, query_shape(query)),
        lambda: _common(entries, [(kind, counts[kind](query, role)) for kind in own], query),
    )
    rows = session.execute(statement, {**parameters, **query_parameters(query)})
    object.__setattr__(query, "common", frozenset(rows.scalars()))
    object.__setattr__(query, "counted", frozenset(entries + own))


def _common(entries: tuple[str, ...], own: list[tuple[str, Select]], query: SearchQuery) -> Select:
    arms = [
        select(literal(kind).label("kind"))
        .where(SearchEntry.kind == kind, holds_each_word(SEARCH_VECTOR, query))
        .limit(MATCHES_READ + 1)
        for kind in entries
    ]
    for kind, matching in own:
        found = matching.cte(f"matching_{kind}").prefix_with("MATERIALIZED")
        arms.append(select(literal(kind).label("kind")).select_from(found).limit(MATCHES_READ + 1))
    # The setting as one more row, alone in its group ('0'), so never a kind found.
    arms.append(select(_NO_PARALLEL_WORKERS.label("kind")))
    counted = union_all(*arms).subquery()
    return select(counted.c.kind).group_by(counted.c.kind).having(func.count() > MATCHES_READ)

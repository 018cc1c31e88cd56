"""Full-text search every feature shares: folding, stemming, the stored terms and their match.

Words are folded (case, accents: "Capacitación" → "capacitacion") and stemmed in Python
with the Snowball stemmers, so PostgreSQL and SQLite index and match exactly the same
terms (PostgreSQL 15's own Spanish stemmer does not stem unaccented words; see
portal/documents/search.py, whose documents keep their terms on their own row).

Everything else a reader may open (meetings, agenda items, minutes, action items,
trainings...) keeps its terms in one table, `search_entries`, a row per (kind, object):
- the text of an object is stemmed both as Spanish and as English (an object has no
  language of its own: a meeting has an English and a Spanish title), each term once;
- PostgreSQL matches them through a GIN index per kind on their tsvector (a partial
  expression index each feature declares in its models with `entry_index(kind)`), and
  keeps statistics on that tsvector (made by the migration: the planner takes none from a
  partial index), so a word common to most objects of a kind is read in date order up to
  the page's end instead of every match being sorted;
- SQLite keeps them in the FTS5 table `search_entries_fts` (made by the migration),
  whose rowid is the entry's id.
A feature keeps its terms current by declaring, once, which model and fields make them
(`keep_terms`): one `after_flush` listener rewrites the entry of every object created or
changed in those fields, and removes the entry of an object deleted. Writes that skip the
ORM call `write_terms` themselves.

A query is its folded words (at most MAX_QUERY_WORDS, MAX_QUERY_CHARACTERS long), every
word required, tried stemmed as Spanish, as English and unstemmed.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain

import snowballstemmer
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    ColumnElement,
    Index,
    Select,
    String,
    Text,
    UniqueConstraint,
    and_,
    column,
    delete,
    event,
    exists,
    func,
    insert,
    inspect,
    literal,
    literal_column,
    or_,
    select,
    table,
    text,
    union_all,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, Session, aliased, mapped_column

from portal.core.errors import ValidationError
from portal.core.extensions import db

WORD = re.compile(r"\w+")
MAX_QUERY_WORDS = 12
MAX_QUERY_CHARACTERS = 200
CONFIGURATIONS = ("spanish", "english", "simple")
_STEMMERS = {
    "spanish": snowballstemmer.stemmer("spanish"),
    "english": snowballstemmer.stemmer("english"),
}
MAX_INDEXED_CHARACTERS = 500_000  # of an object's text: a tsvector holds at most 1 MB


def fold(word: str) -> str:
    """Lower case, accents removed: "CIBERSEGURIDAD", "Ciberseguridad" → "ciberseguridad"."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=100_000)
def stem(word: str, config: str) -> str:
    """The folded word's Snowball stem in a configuration ('simple' leaves it as it is)."""
    stemmer = _STEMMERS.get(config)
    return stemmer.stemWord(word) if stemmer else word


def terms_of(text_: str) -> str:
    """What an entry holds: every word folded, stemmed as Spanish and as English, each once."""
    words = {fold(w) for w in WORD.findall(text_[:MAX_INDEXED_CHARACTERS])}
    return " ".join(sorted({stem(w, c) for w in words for c in _STEMMERS}))


# Queries -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchQuery:
    """A reader's query: its folded words, every one required."""

    text: str
    words: tuple[str, ...]
    # The kinds this query matches many of, once counted (see common_kinds).
    common: frozenset[str] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def parse(cls, query: str | None) -> "SearchQuery":
        """The query's words; a query too long or of too many words is refused, saying why."""
        query = (query or "").strip()
        if len(query) > MAX_QUERY_CHARACTERS:
            raise ValidationError(
                _l(
                    "The search is too long: use at most %(num)d characters.",
                    num=MAX_QUERY_CHARACTERS,
                )
            )
        words = tuple(fold(w) for w in WORD.findall(query))
        if len(words) > MAX_QUERY_WORDS:
            raise ValidationError(
                _l("The search has too many words: use at most %(num)d.", num=MAX_QUERY_WORDS)
            )
        return cls(text=query, words=words)

    def alternatives(self) -> list[tuple[str, ...]]:
        """The words stemmed each way an object may have been indexed."""
        return sorted({tuple(stem(w, c) for w in self.words) for c in CONFIGURATIONS})

    def stems(self) -> set[str]:
        return {stem(w, c) for w in self.words for c in CONFIGURATIONS}

    def stems_by_word(self) -> list[set[str]]:
        return [{stem(w, c) for c in CONFIGURATIONS} for w in self.words]


# Stored terms --------------------------------------------------------------------------


class SearchEntry(db.Model):
    """The searchable terms of one object of a kind (a meeting, an agenda item...)."""

    __tablename__ = "search_entries"
    __table_args__ = (UniqueConstraint("kind", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int]
    terms: Mapped[str] = mapped_column(Text, default="")


SEARCH_CONFIGURATION = text("'simple'::regconfig")
SEARCH_VECTOR = func.to_tsvector(SEARCH_CONFIGURATION, SearchEntry.__table__.c.terms)
_fts = table("search_entries_fts", column("rowid"), column("terms"))
# The FTS5 tables and the shadow tables SQLite keeps for them: made by migrations, no model.
_FTS_TABLES = re.compile(
    r"^(document_fts|search_entries_fts)(_(data|idx|content|docsize|config))?$"
)


def is_search_index_table(name: str) -> bool:
    return bool(_FTS_TABLES.match(name))


def entry_index(kind: str) -> Index:
    """The GIN index of one kind's terms on PostgreSQL (a feature declares it in its models)."""
    return Index(
        f"ix_search_entries_{kind}",
        SEARCH_VECTOR,
        postgresql_using="gin",
        postgresql_where=SearchEntry.__table__.c.kind == kind,
    ).ddl_if(dialect="postgresql")


def matching(session: Session, kind: str, query: SearchQuery) -> ColumnElement[bool]:
    """A WHERE clause on SearchEntry: the entries of `kind` holding every word of the query
    (in one of its stemmings). Join it to the kind's table on `SearchEntry.object_id`."""
    alternatives = query.alternatives()
    if session.get_bind().dialect.name == "postgresql":
        tsquery = tsquery_of(query)
        # Written as the index's expression and kind, so its partial GIN index answers it.
        return (SearchEntry.kind == kind) & SEARCH_VECTOR.op("@@")(tsquery)
    expression = " OR ".join(
        "(" + " AND ".join(f'"{t}"' for t in terms) + ")" for terms in alternatives
    )
    found = select(_fts.c.rowid).where(literal_column("search_entries_fts").op("MATCH")(expression))
    return (SearchEntry.kind == kind) & SearchEntry.id.in_(found)


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
    entries holding them (a minutes' costs ~0.2 ms)."""
    date, id_ = newest
    ordered = (date.desc(), id_.desc())
    if session.get_bind().dialect.name != "postgresql":
        return (
            statement.join(SearchEntry, SearchEntry.object_id == object_id)
            .where(matching(session, kind, query), visible)
            .order_by(*ordered)
            .limit(limit)
        )
    if kind not in common_kinds(session, query):
        # An array computed once: as an IN, the planner would join it and, guessing it large,
        # still walk the rows by date.
        found = select(SearchEntry.object_id).where(matching(session, kind, query))
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
    so the planner cannot turn the walk back into a join."""
    return (
        _holds_stems(terms, query),
        func.to_tsvector(SEARCH_CONFIGURATION, terms).op("@@")(tsquery_of(query)),
    )


def matches_many(session: Session, matching: Select) -> bool:
    """Whether more than MATCHES_READ rows match, `matching` selecting them through a GIN
    index. Counted from a materialized CTE: the planner plans it for every row, so through
    the index; with the LIMIT beside it, it expected to stop early reading the table in
    order and made the tsvector of each row (2,000 documents, ~200 ms)."""
    found = matching.cte("matching").prefix_with("MATERIALIZED")
    counted = select(literal_column("1")).select_from(found).limit(MATCHES_READ + 1).subquery()
    return (session.scalar(select(func.count()).select_from(counted)) or 0) > MATCHES_READ


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
        tsquery = tsquery_of(query)
        counted = union_all(
            *(
                select(literal(kind).label("kind"))
                .where(SearchEntry.kind == kind, SEARCH_VECTOR.op("@@")(tsquery))
                .limit(MATCHES_READ + 1)
                for kind in sorted({k.kind for k in _KEPT})
            )
        ).subquery()
        rows = session.execute(
            select(counted.c.kind).group_by(counted.c.kind).having(func.count() > MATCHES_READ)
        )
        object.__setattr__(query, "common", frozenset(rows.scalars()))
    return query.common


def write_terms(session: Session, kind: str, object_id: int, text_: str) -> None:
    """Replace the entry of one object (for writes that skip the ORM, and the listener)."""
    connection = session.connection()
    terms = terms_of(text_)
    entries = SearchEntry.__table__
    if connection.dialect.name == "postgresql":
        # One statement: two transactions writing the same object's entry never collide.
        upsert = postgresql.insert(entries).values(kind=kind, object_id=object_id, terms=terms)
        connection.execute(
            upsert.on_conflict_do_update(
                index_elements=[entries.c.kind, entries.c.object_id], set_={"terms": terms}
            )
        )
        return
    remove_terms(session, kind, [object_id])
    entry_id = connection.execute(
        insert(entries).values(kind=kind, object_id=object_id, terms=terms).returning(entries.c.id)
    ).scalar_one()
    connection.execute(
        text("INSERT INTO search_entries_fts (rowid, terms) VALUES (:id, :terms)"),
        {"id": entry_id, "terms": terms},
    )


def remove_terms(session: Session, kind: str, object_ids: Iterable[int]) -> None:
    ids = list(object_ids)
    if not ids:
        return
    connection = session.connection()
    entries = SearchEntry.__table__
    if connection.dialect.name != "postgresql":
        connection.execute(
            delete(_fts).where(
                _fts.c.rowid.in_(
                    select(entries.c.id).where(entries.c.kind == kind, entries.c.object_id.in_(ids))
                )
            )
        )
    connection.execute(delete(entries).where(entries.c.kind == kind, entries.c.object_id.in_(ids)))


@dataclass(frozen=True)
class KeptTerms:
    """Which model makes a kind's terms, from which text, changed by which attributes."""

    model: type
    kind: str
    text_of: Callable[[object], str]
    fields: tuple[str, ...]


_KEPT: list[KeptTerms] = []


def keep_terms(model: type, kind: str, text_of: Callable[[object], str], fields: Iterable[str]):
    """Declare that `kind`'s entries are `text_of(obj)` for every `model` object, rewritten
    when one of `fields` changes (a feature calls it once, in its models or search module)."""
    kept = KeptTerms(model, kind, text_of, tuple(fields))
    if not any(k.model is model and k.kind == kind for k in _KEPT):
        _KEPT.append(kept)
    return kept


def _changed(obj, fields: tuple[str, ...]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


@event.listens_for(Session, "after_flush")
def _rewrite_terms(session: Session, _flush_context) -> None:
    if not _KEPT:
        return
    new, dirty, deleted = session.new, session.dirty, session.deleted
    if not (new or dirty or deleted):
        return
    for kept in _KEPT:
        gone = [obj.id for obj in deleted if isinstance(obj, kept.model)]
        remove_terms(session, kept.kind, gone)
        for obj in chain(new, dirty):
            if not isinstance(obj, kept.model) or obj in deleted:
                continue
            if obj in new or _changed(obj, kept.fields):
                write_terms(session, kept.kind, obj.id, kept.text_of(obj))


def reindex(session: Session, kept: KeptTerms, objects: Iterable[object]) -> int:
    """Rewrite the entries of these objects (after a bulk write, or to build an index)."""
    count = 0
    for obj in objects:
        write_terms(session, kept.kind, obj.id, kept.text_of(obj))
        count += 1
    return count

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
A kind whose readers are known by tokens (an action item: its group and its owners) also
keeps its entries' scope, "g12 u5", in a column of its own that the kind's GIN index covers
beside the terms (`entry_index(kind, scoped=True)`, `keep_terms(..., scope_of=...)`): a
reader's search then asks the index for the matches within their own tokens (see
portal/core/search_match.py, which reads the entries), and the feature's access rule is
still asked of every row, so a token never lets anyone see more, only the index skip the rest.
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
    Index,
    String,
    Text,
    UniqueConstraint,
    column,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    table,
    text,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, Session, mapped_column

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
    # The kinds `common` was counted for.
    counted: frozenset[str] = field(default=frozenset(), compare=False, repr=False)

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
    # Who may find the object, as tokens (see scope_terms); empty for a kind without scope.
    scope: Mapped[str] = mapped_column(Text, default="", server_default="")


SEARCH_CONFIGURATION = text("'simple'::regconfig")
SEARCH_VECTOR = func.to_tsvector(SEARCH_CONFIGURATION, SearchEntry.__table__.c.terms)
SCOPE_VECTOR = func.to_tsvector(SEARCH_CONFIGURATION, SearchEntry.__table__.c.scope)
ENTRIES_FTS = table("search_entries_fts", column("rowid"), column("terms"))
# The FTS5 tables and the shadow tables SQLite keeps for them: made by migrations, no model.
_FTS_TABLES = re.compile(
    r"^(document_fts|search_entries_fts)(_(data|idx|content|docsize|config))?$"
)


def is_search_index_table(name: str) -> bool:
    return bool(_FTS_TABLES.match(name))


def entry_index(kind: str, scoped: bool = False) -> Index:
    """The GIN index of one kind's terms on PostgreSQL (a feature declares it in its models),
    and of its scope for a kind that keeps one."""
    return Index(
        f"ix_search_entries_{kind}",
        SEARCH_VECTOR,
        *((SCOPE_VECTOR,) if scoped else ()),
        postgresql_using="gin",
        postgresql_where=SearchEntry.__table__.c.kind == kind,
    ).ddl_if(dialect="postgresql")


def scope_terms(groups: Iterable[int] = (), people: Iterable[int] = ()) -> str:
    """An entry's scope: a token per working group ("g12") and per person ("u5") whose
    readers may find it. Kept in a column of its own: no word of a text can match one."""
    return " ".join(
        [*(f"g{g}" for g in sorted(set(groups))), *(f"u{p}" for p in sorted(set(people)))]
    )


def write_terms(session: Session, kind: str, object_id: int, text_: str, scope: str = "") -> None:
    """Replace the entry of one object (for writes that skip the ORM, and the listener)."""
    write_many_terms(session, kind, [(object_id, text_, scope)])


def write_many_terms(session: Session, kind: str, entries: list[tuple[int, str, str]]) -> None:
    """Replace the entries (object id, text, scope) of these objects of one kind; on
    PostgreSQL in one statement, whatever their number (a series writes twenty meetings)."""
    if not entries:
        return
    connection = session.connection()
    rows = [
        {"kind": kind, "object_id": object_id, "terms": terms_of(text_), "scope": scope}
        for object_id, text_, scope in sorted(entries, key=lambda entry: entry[0])
    ]
    table = SearchEntry.__table__
    if connection.dialect.name == "postgresql":
        # One statement: two transactions writing the same object's entry never collide (and,
        # in the objects' order, two writing several never wait for each other in a circle).
        upsert = postgresql.insert(table).values(rows)
        replaced = {"terms": upsert.excluded.terms, "scope": upsert.excluded.scope}
        connection.execute(
            upsert.on_conflict_do_update(
                index_elements=[table.c.kind, table.c.object_id], set_=replaced
            )
        )
        return
    remove_terms(session, kind, [row["object_id"] for row in rows])
    for row in rows:
        entry_id = connection.execute(
            insert(table).values(**row).returning(table.c.id)
        ).scalar_one()
        connection.execute(
            text("INSERT INTO search_entries_fts (rowid, terms) VALUES (:id, :terms)"),
            {"id": entry_id, "terms": row["terms"]},
        )


def remove_terms(session: Session, kind: str, object_ids: Iterable[int]) -> None:
    ids = list(object_ids)
    if not ids:
        return
    connection = session.connection()
    entries = SearchEntry.__table__
    if connection.dialect.name != "postgresql":
        connection.execute(
            delete(ENTRIES_FTS).where(
                ENTRIES_FTS.c.rowid.in_(
                    select(entries.c.id).where(entries.c.kind == kind, entries.c.object_id.in_(ids))
                )
            )
        )
    connection.execute(delete(entries).where(entries.c.kind == kind, entries.c.object_id.in_(ids)))


@dataclass(frozen=True)
class KeptTerms:
    """Which model makes a kind's terms, from which text, changed by which attributes; and
    its scope (scope_terms) for a kind that keeps one."""

    model: type
    kind: str
    text_of: Callable[[object], str]
    fields: tuple[str, ...]
    scope_of: Callable[[object], str] | None = None

    def entry_of(self, obj) -> tuple[str, str]:
        return self.text_of(obj), self.scope_of(obj) if self.scope_of else ""


_KEPT: list[KeptTerms] = []


def kept_kinds() -> set[str]:
    return {kept.kind for kept in _KEPT}


def scoped_kinds() -> set[str]:
    """The kinds whose entries keep a scope."""
    return {kept.kind for kept in _KEPT if kept.scope_of is not None}


def keep_terms(
    model: type,
    kind: str,
    text_of: Callable[[object], str],
    fields: Iterable[str],
    scope_of: Callable[[object], str] | None = None,
):
    """Declare that `kind`'s entries are `text_of(obj)` for every `model` object (and their
    scope `scope_of(obj)`), rewritten when one of `fields` changes (those the text and the
    scope are made of; a feature calls it once, in its models or search module)."""
    kept = KeptTerms(model, kind, text_of, tuple(fields), scope_of)
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
        written = [
            (obj.id, *kept.entry_of(obj))
            for obj in chain(new, dirty)
            if isinstance(obj, kept.model)
            and obj not in deleted
            and (obj in new or _changed(obj, kept.fields))
        ]
        write_many_terms(session, kept.kind, written)


def reindex(session: Session, kept: KeptTerms, objects: Iterable[object]) -> int:
    """Rewrite the entries of these objects (after a bulk write, or to build an index)."""
    count = 0
    for obj in objects:
        write_terms(session, kept.kind, obj.id, *kept.entry_of(obj))
        count += 1
    return count

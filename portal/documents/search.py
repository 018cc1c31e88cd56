"""Full-text search over title, description and the current version's text.

One function, `search_documents`, on both backends. Words are folded (case, accents)
and stemmed in Python with the Snowball stemmer of the document's language, so both
backends index and match exactly the same terms:
- PostgreSQL keeps the distinct ones as text on the document's row, matched through a
  GIN index on their tsvector (an expression index: see portal/documents/models.py);
- SQLite keeps them in an FTS5 table (made by the migration) keyed by the document id.
Stemming in Python rather than with PostgreSQL's 'spanish' configuration behind unaccent:
PostgreSQL 15's Spanish stemmer does not stem unaccented words ("capacitacion" stays
whole while "capacitaciones" becomes "capacit"), so folded queries would miss documents.
A query is tried stemmed as Spanish, as English and unstemmed, all its words required.
Snippets are cut and highlighted in Python from the stored text, HTML-escaped, only for
the page shown. Matches are counted up to MAX_COUNTED ("more than 1,000 documents found"),
and paging stops there: a common word may match most of the library, and counting or
sorting past what anyone pages through would cost every search.
"""

import re
from dataclasses import dataclass, replace

from flask import current_app, has_app_context, url_for
from markupsafe import Markup, escape
from sqlalchemy import (
    Integer,
    Select,
    bindparam,
    column,
    exists,
    func,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.core.access import role_clause, viewer_parameters
from portal.core.bilingual import hit_texts
from portal.core.i18n import current_language
from portal.core.search import (  # noqa: F401  (is_search_index_table: for the tests)
    WORD,
    SearchQuery,
    fold,
    is_search_index_table,
    stem,
)
from portal.core.search_match import (
    built,
    counted_many,
    counting,
    holds_each_word,
    index_match,
    query_parameters,
    query_shape,
    walked_match,
)
from portal.core.snippets import fold_keeping_length, highlight_spans
from portal.documents import access
from portal.documents.models import (
    SEARCH_CONFIGURATION,
    SEARCH_VECTOR,
    Document,
    DocumentLanguage,
    DocumentText,
)
from portal.mous.models import WorkingGroup
from portal.web import sources
from portal.web.pagination import DEFAULT_PAGE_SIZE, Page
from portal.web.sources import group_columns, hit_group

MAX_QUERY_WORDS = 12
MAX_COUNTED = 1_000  # matches counted (and paged through) at most
SNIPPET_SCAN = 200_000  # characters of a document looked through for the snippet
SNIPPET_FIRST = 4_000  # read for every hit first: most have a match near the start
SNIPPET_WINDOW = 1_000  # looked through a window at a time, stopping at the first match
MAX_INDEXED_CHARACTERS = 500_000  # of a document's text: a tsvector holds at most 1 MB

STEMMING = {
    DocumentLanguage.SPANISH: "spanish",
    DocumentLanguage.ENGLISH: "english",
    DocumentLanguage.OTHER: "simple",
}
_fts = table("document_fts", column("rowid"), column("terms"))


def index_terms(text_: str, language: DocumentLanguage) -> str:
    """What SQLite's FTS5 table holds for a document: its words folded and stemmed."""
    config = STEMMING[language]
    return " ".join(stem(fold(w), config) for w in WORD.findall(text_))


def distinct_terms(text_: str, language: DocumentLanguage) -> str:
    """What PostgreSQL keeps for a document: each of its terms once, sorted."""
    return " ".join(sorted(set(index_terms(text_, language).split())))


def query_words(query: str) -> list[str]:
    return [fold(w) for w in WORD.findall(query or "")][:MAX_QUERY_WORDS]


# Indexing ------------------------------------------------------------------------------


def index_document(session: Session, document: Document, content: str | None = None) -> None:
    """(Re)build the document's search entry; `content` is the current version's text."""
    entry = session.get(DocumentText, document.id)
    if entry is None:
        entry = DocumentText(document_id=document.id, content=content or "")
        session.add(entry)
    elif content is not None:
        entry.content = content
    # Both versions of title and description: a search finds either language.
    title = f"{document.title_en}\n{document.title_es}"
    body = f"{document.description_md_en}\n{document.description_md_es}\n{entry.content}"
    if session.get_bind().dialect.name == "postgresql":
        document.search_terms = distinct_terms(
            f"{title}\n{body[:MAX_INDEXED_CHARACTERS]}", document.language
        )
        session.flush()
    else:
        session.flush()
        session.execute(text("DELETE FROM document_fts WHERE rowid = :id"), {"id": document.id})
        session.execute(
            text("INSERT INTO document_fts (rowid, terms) VALUES (:id, :terms)"),
            {
                "id": document.id,
                "terms": index_terms(f"{title}\n{body}", document.language),
            },
        )


# Searching -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    document: Document
    snippet: Markup


@dataclass(frozen=True)
class SearchResults(Page):
    more: bool = False  # more matches than MAX_COUNTED: `total` is that bound


def search_documents(session: Session, user: User, query: str, page: int) -> SearchResults:
    """The documents the reader may open that match every word, newest first, with snippets."""
    words = query_words(query)
    if not words:
        return SearchResults(items=[], page=1, per_page=1, total=0)
    statement = select(Document).where(access.visible_documents_clause(user))
    if session.get_bind().dialect.name == "postgresql":
        statement = _postgres_match(statement, words)
    else:
        statement = _sqlite_match(statement, words)
    found = _bounded_page(session, statement, page)
    snippets = _snippets(session, found.items, words)
    return replace(found, items=[SearchHit(d, snippets[d.id]) for d in found.items])


def _page_size() -> int:
    if has_app_context():
        return current_app.config.get("PAGE_SIZE", DEFAULT_PAGE_SIZE)
    return DEFAULT_PAGE_SIZE


def _bounded_page(session: Session, statement, page: int) -> SearchResults:
    """One page of the matches, counting at most MAX_COUNTED + 1 and paging within them."""
    per_page = _page_size()
    matches = statement.order_by(None).with_only_columns(Document.id).limit(MAX_COUNTED + 1)
    counted = session.scalar(select(func.count()).select_from(matches.subquery())) or 0
    total = min(counted, MAX_COUNTED)
    page = min(max(1, page), max(1, -(-total // per_page)))
    offset = (page - 1) * per_page
    shown = max(0, min(per_page, MAX_COUNTED - offset))
    items = list(session.scalars(statement.limit(shown).offset(offset))) if shown else []
    return SearchResults(
        items=items, page=page, per_page=per_page, total=total, more=counted > MAX_COUNTED
    )


def _alternatives(words: list[str]) -> list[list[str]]:
    """The query's words stemmed each way a document may have been indexed."""
    found = {tuple(stem(w, config) for w in words) for config in STEMMING.values()}
    return [list(terms) for terms in sorted(found)]


def _postgres_match(statement, words: list[str]):
    expression = " | ".join(
        "(" + " & ".join(f"'{t}'" for t in terms) + ")" for terms in _alternatives(words)
    )
    query = func.to_tsquery(SEARCH_CONFIGURATION, expression)
    # Newest first, as on SQLite: ranking would read every matching document's whole text.
    # The match is written as the index's expression, so the GIN index answers it.
    return statement.where(SEARCH_VECTOR.op("@@")(query)).order_by(
        Document.updated_at.desc(), Document.id.desc()
    )


def _newest_matches(session: Session, statement, query: SearchQuery, key) -> Select:
    """The search page's way through the documents on PostgreSQL, chosen as for the other
    kinds (portal.core.search.newest_matches) from how many documents match, counted up to
    MATCHES_READ. Many (a word in two thirds of the library): the reader's documents are
    read newest first (ix_documents_searchable_updated), each asked whether it matches,
    until the page is full, where filtering every match by the access rule and sorting them
    cost ~25 ms. Few: the matches are those the GIN index gives, an array computed once (as
    for the other kinds), then filtered by the access rule and sorted. Built once per `key`
    (what `statement` depends on) and shape of query: run it with query_parameters."""
    shape = query_shape(query)
    if "document" in query.counted:
        common = "document" in query.common
    else:
        counted = built(("document count", shape), lambda: counting(matching_documents(query)))
        common = counted_many(session, counted, query_parameters(query))
    return built(("document", key, shape, common), lambda: _matching(statement(), query, common))


def matching_documents(query: SearchQuery, role=None) -> Select:
    """The documents holding each word, through the GIN index (whatever the reader's role):
    what their matches are counted by (portal.core.search_match.count_common)."""
    return select(Document.id).where(holds_each_word(SEARCH_VECTOR, query))


def _matching(statement, query: SearchQuery, common: bool):
    newest = (Document.updated_at.desc(), Document.id.desc())
    if not common:
        matching = index_match(SEARCH_VECTOR, query)
        found = func.array(select(Document.id).where(matching).scalar_subquery())
        return statement.where(Document.id == func.any(found)).order_by(*newest)
    holds = (
        select(literal_column("1"))
        .where(*walked_match(Document.search_terms, query))
        .correlate(Document)
    )
    # `search_terms != ''` is the predicate of the partial index read (no other page's
    # statement implies it, so their plans stay as they were).
    return statement.where(Document.search_terms != "", exists(holds.offset(0))).order_by(*newest)


def _sqlite_match(statement, words: list[str]):
    expression = " OR ".join(
        "(" + " AND ".join(f'"{t}"' for t in terms) + ")" for terms in _alternatives(words)
    )
    matching = select(_fts.c.rowid).where(literal_column("document_fts").op("MATCH")(expression))
    return statement.where(Document.id.in_(matching)).order_by(
        Document.updated_at.desc(), Document.id.desc()
    )


def _snippets(session: Session, documents: list[Document], words: list[str]) -> dict:
    """Each document's snippet, read from the start of its text, else from farther in."""
    starts = _contents(session, [d.id for d in documents], 1, SNIPPET_FIRST)
    snippets = {d.id: first_snippet(d, starts.get(d.id, ""), words) for d in documents}
    farther = [d for d in documents if snippets[d.id] is None]
    rests = _contents(
        session, [d.id for d in farther], SNIPPET_FIRST - SNIPPET_BEFORE, SNIPPET_SCAN
    )
    for document in farther:
        snippets[document.id] = snippet(document, rests.get(document.id, ""), words)
    return snippets


def _contents(session: Session, ids: list[int], start: int, length: int) -> dict[int, str]:
    """A stretch of each document's text (from character `start`, counting from 1)."""
    if not ids:
        return {}
    rows = session.execute(
        select(DocumentText.document_id, func.substr(DocumentText.content, start, length)).where(
            DocumentText.document_id.in_(ids)
        )
    )
    return {document_id: content for document_id, content in rows}


# Snippets ------------------------------------------------------------------------------

SNIPPET_BEFORE, SNIPPET_AFTER = 80, 200


def first_snippet(document: Document, start_of_text: str, words: list[str]) -> Markup | None:
    """The snippet when a match is in the description or the start of the text, else None."""
    stems = _stems(words)
    return _passage(_descriptions(document), stems) or _passage(start_of_text, stems)


def snippet(document: Document, content: str, words: list[str]) -> Markup:
    """A short passage around the first match, every match in <mark>, the rest escaped."""
    stems = _stems(words)
    found = _passage(_descriptions(document), stems) or _passage(content, stems)
    return found or escape(document.description_md[: SNIPPET_BEFORE + SNIPPET_AFTER])


def _descriptions(document: Document) -> str:
    """Both versions of the description: a match in either is shown."""
    return f"{document.description_md_en}\n\n{document.description_md_es}".strip()


def _stems(words: list[str]) -> set[str]:
    return {stem(w, c) for w in words for c in STEMMING.values()}


def _passage(source: str, stems: set[str]) -> Markup | None:
    """The highlighted passage around the first match in `source`, read a window at a time
    (most matches are near the start: folding the whole text first would cost every hit)."""
    for start in range(0, min(len(source), SNIPPET_SCAN), SNIPPET_WINDOW):
        # Windows overlap so a passage across their border is still whole.
        window = source[max(0, start - SNIPPET_BEFORE) : start + SNIPPET_WINDOW + SNIPPET_AFTER]
        found = _matches(window, stems)
        if found:
            return highlight_spans(window, found)
    return None


def _matches(source: str, stems: set[str]) -> list[tuple[int, int]]:
    """Spans of the words of `source` whose stem, in any configuration, is a query stem."""
    folded = fold_keeping_length(source)
    prefixes = sorted({s[:3] for s in stems if s}, key=len, reverse=True)
    if not prefixes:
        return []
    candidate = re.compile(r"\b(?:" + "|".join(map(re.escape, prefixes)) + r")\w*")
    spans = []
    for found in candidate.finditer(folded):
        word = found.group()
        if any(stem(word, c) in stems for c in STEMMING.values()):
            spans.append(found.span())
            if spans[0][0] + SNIPPET_AFTER < found.start():
                break
    return spans


# The search page over everything (portal/search) --------------------------------------------


def document_hits(session: Session, user: User, query, limit: int) -> list:
    """The documents the reader may open matching every word of a
    portal.core.search.SearchQuery, newest first, as the search page's hits."""
    parameters = {
        **viewer_parameters(user),
        **query_parameters(query),
        "search_limit": limit,
    }
    if session.get_bind().dialect.name == "postgresql":
        statement = _newest_matches(session, lambda: _shown(user.role), query, user.role)
    else:
        statement = _sqlite_match(_shown(user.role), list(query.words)).limit(
            bindparam("search_limit", limit, type_=Integer)
        )
    return [
        sources.SearchHit(
            kind="document",
            title=title,
            url=url_for("documents.detail", document_id=document.id),
            when=document.updated_at,
            group=hit_group(document),
            excerpt=excerpt[:2_000],
            language=language,
        )
        for reader_language in [current_language()]  # asked once
        for document in session.execute(statement, parameters)
        for title, language, excerpt in [
            hit_texts(document, reader_language, text="description_md")
        ]
    ]


def _shown(role) -> Select:
    """The documents a reader of `role` may open, with the columns a hit shows (not the HTML)
    as plain rows and their working group, at most `search_limit`."""
    return (
        select(
            Document.id,
            Document.title_en,
            Document.title_es,
            Document.description_md_en,
            Document.description_md_es,
            Document.updated_at,
            *group_columns(WorkingGroup),
        )
        .outerjoin(WorkingGroup, WorkingGroup.id == Document.working_group_id)
        .where(role_clause(access.visible_documents_clause, role))
        .limit(bindparam("search_limit", type_=Integer))
    )

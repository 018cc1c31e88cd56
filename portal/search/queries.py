"""One page of hits over every declared kind, interleaved newest first.

Each kind's source (portal.web.sources.SearchSource) returns at most the hits up to the
end of the page asked for, plus one to know whether a next page exists: nothing is counted
past that. The hits of every kind are interleaved by date, newest first (a meeting's or a
training's start, a document's last change, an action item's due day), not ranked by
relevance: every hit holds every word of the query, and a reader looks for the recent one.
Snippets are cut only for the hits of the page shown.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from markupsafe import Markup
from sqlalchemy.orm import Session

from portal.core.access import viewer_parameters
from portal.core.search import SearchQuery
from portal.core.search_match import count_common
from portal.core.snippets import highlight
from portal.web.sources import SearchHit, SearchSource

MAX_PAGES = 50  # a reader narrows the search long before; deeper pages would cost every source


@dataclass(frozen=True)
class ShownHit:
    hit: SearchHit
    label: str
    snippet: Markup


@dataclass(frozen=True)
class SearchPage:
    items: list[ShownHit]
    page: int
    per_page: int
    has_next: bool

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def first(self) -> int:
        return (self.page - 1) * self.per_page + 1


def _sort_key(hit: SearchHit) -> datetime:
    when = hit.when
    if isinstance(when, datetime):
        return when if when.tzinfo else when.replace(tzinfo=UTC)
    if isinstance(when, date):
        return datetime.combine(when, time.min, tzinfo=UTC)
    return datetime.min.replace(tzinfo=UTC)


def search_everything(
    session: Session,
    reader,
    sources: list[SearchSource],
    query: SearchQuery,
    page: int,
    per_page: int,
) -> SearchPage:
    page = min(max(1, page), MAX_PAGES)
    if not query.words:
        return SearchPage(items=[], page=1, per_page=per_page, has_next=False)
    limit = page * per_page + 1
    # Whether each kind's matches are many, for every kind in one statement (newest_matches),
    # which also gives the rest of the transaction no parallel workers
    # (search_match._NO_PARALLEL_WORKERS).
    counts = {source.kind: source.counted for source in sources if source.counted}
    count_common(session, query, counts, reader.role, viewer_parameters(reader))
    labels = {source.kind: source.label for source in sources}
    found = [hit for source in sources for hit in source.search(session, reader, query, limit)]
    found.sort(key=_sort_key, reverse=True)
    start = (page - 1) * per_page
    shown = [
        ShownHit(hit, str(labels[hit.kind]), highlight(hit.excerpt, query))
        for hit in found[start : start + per_page]
    ]
    has_next = len(found) > start + per_page and page < MAX_PAGES
    return SearchPage(items=shown, page=page, per_page=per_page, has_next=has_next)

"""What features give the month calendar, the private feeds and the search page: the records
a feature's calendar and search sources return (declared in its `Feature`, read through
portal.web.features)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class CalendarEntry:
    """One line of the month calendar: what it is (`kind`, also its style: "meeting",
    "training", "due"), said in words (`label`, a lazy gettext: never colour alone), its
    title and page, and when: an instant range (UTC) or, for an all-day entry, a day."""

    kind: str
    label: Any
    title: str
    url: str
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    on: date | None = None
    cancelled: bool = False


@dataclass(frozen=True)
class CalendarSource:
    """What a feature adds to the month calendar and to each person's private feed.

    `entries(session, viewer, start, end)` gives the entries the viewer may see that overlap
    the UTC range [start, end); `feed_events(session, person, since, writer)` gives the
    iCalendar components of the person's feed from `since` on, written with `writer` (a
    portal.calendar.ics.CalendarWriter in the person's language, which gathers the
    VTIMEZONEs of the zones used). Both depend on stored data only: nothing is kept between
    requests, so a change shows on the next one. `order` places the sources."""

    entries: Callable[[Session, Any, datetime, datetime], Iterable[CalendarEntry]]
    feed_events: Callable[[Session, Any, datetime, Any], Iterable[Any]]
    order: int


@dataclass(frozen=True)
class SearchHit:
    """One thing a search found: its kind's label, title, working group (an object with
    `name_en`/`name_es`, or None), the date to show (an instant, shown in the reader's zone,
    or a day), the link, and `excerpt`, the text its snippet is cut from."""

    kind: str
    title: str
    url: str
    when: Any
    group: Any = None
    excerpt: str = ""
    language: str | None = None  # of the title, when it is in one language only


@dataclass(frozen=True)
class SearchSource:
    """A kind of object the search page finds: `search(session, reader, query, limit)`
    gives at most `limit` hits the reader may open (the feature's access rules, in SQL),
    newest first by `SearchHit.when`; `query` is a portal.core.search.SearchQuery."""

    kind: str
    label: Any
    search: Callable[[Session, Any, Any, int], list[SearchHit]]
    order: int

"""What features give the month calendar, the private feeds, the search page and the MoU's
implementation report: the records a feature's calendar, search and report sources return
(declared in its `Feature`, read through portal.web.features)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from portal.core.bilingual import Name
from portal.core.i18n import localized


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

    `month_query(role)` is a statement built once per role (core.access.ParametricViewer),
    run with the bind parameters `viewer_id`, `viewer_party_id` and the month's `month_start`,
    `month_end` (UTC instants) and `first_day`, `last_day` (days, one wider on each side);
    it selects the entries the viewer may see in the month as MONTH_COLUMNS, and the page
    reads every source's in one statement (a UNION ALL). `month_entry(row, language)` makes a
    row's entry. `feed_events(session, person, since, writer)` gives the iCalendar components
    of the person's feed from `since` on, written with `writer` (a
    portal.calendar.ics.CalendarWriter in the person's language, which gathers the
    VTIMEZONEs of the zones used). Both depend on stored data only: nothing is kept between
    requests, so a change shows on the next one. `order` places the sources."""

    month_query: Callable[[Any], Any]
    month_entry: Callable[[Any, str], CalendarEntry]
    feed_events: Callable[[Session, Any, datetime, Any], Iterable[Any]]
    order: int


# What each source's month statement selects, in this order (NULL where it has none): the
# object's id, its titles, its instant range or its day, and whether it is cancelled.
MONTH_COLUMNS = ("id", "title_en", "title_es", "starts_at", "ends_at", "on", "cancelled")


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
    # For a kind not counted by its entries alone (a scope, a table of its own): `counted(query,
    # role)` selects the ids of its objects matching the query for a reader of the role,
    # through a GIN index, counted with every kind's in one statement
    # (portal.core.search_match.count_common).
    counted: Callable[[Any, Any], Any] | None = None


@dataclass(frozen=True)
class ReportPeriod:
    """The days an implementation report covers, from `first` to `last` inclusive, on the
    clock of `zone` (the reader's): `bounds()` gives them as a UTC instant range [start, end)."""

    first: date
    last: date
    zone: str

    def bounds(self) -> tuple[datetime, datetime]:
        tz = ZoneInfo(self.zone)
        start = datetime.combine(self.first, time(), tz).astimezone(UTC)
        end = datetime.combine(self.last + timedelta(days=1), time(), tz).astimezone(UTC)
        return start, end


@dataclass(frozen=True)
class ReportRow:
    """A line of a report table: a stable `key` (a party's code, a category...), its label in
    the reader's language and one value per column (a count, a number of days, None for
    "none", or text)."""

    key: str
    label: str
    values: tuple


@dataclass(frozen=True)
class ReportTable:
    """One table of a report section, in the reader's language: `columns` are (key, label)
    pairs for the values of each row, `heading` names the first column (the rows' labels).
    `chart` names the columns drawn as grouped bars per row (none: no chart); `note` says how
    the figures are counted. The page, the CSV and the PDF are all made from these."""

    key: str
    caption: str
    heading: str
    columns: tuple[tuple[str, str], ...]
    rows: tuple[ReportRow, ...]
    chart: tuple[str, ...] = ()
    chart_title: str = ""
    note: str = ""


@dataclass(frozen=True)
class ReportSection:
    """What a feature adds to an MoU's implementation report (portal.reports composes them).

    `tables(session, reader, mou, period)` gives the section's tables for that reader: every
    figure counted in SQL (GROUP BY, COUNT ... FILTER), none by looping over rows in Python,
    and nothing named that the reader may not open (the feature's `access.py` clauses).
    The caller has checked the reader may see the MoU. `order` places the sections.

    The report is kept under the MoU's `report_version`, which the feature raises on every
    change the section counts (`kept.declare` beside its report.py). Figures that change
    with time alone say when they next may, with no write: `next_change`, a SQL scalar
    expression built once over the bind parameters `mou_id` and `now`, read in one statement
    with the MoU and its version, before the period is known (a meeting that ends is held); or
    `changes_at(period, now)`, a datetime or None computed without the database (the day
    changes). Either may answer earlier than the real change (the report is only computed
    again), never later."""

    key: str
    title: Any
    tables: Callable[[Session, Any, Any, ReportPeriod], list[ReportTable]]
    order: int
    next_change: Any = None
    changes_at: Callable[[ReportPeriod, datetime], datetime | None] | None = None


def party_label(party: Any) -> str:
    """A party as the reports name it: its code and its name in the reader's language."""
    return f"{party.code} · {localized(party, 'name')}"


def party_rows(parties: Iterable[Any], counted: dict, width: int) -> tuple[ReportRow, ...]:
    """One row per party of the MoU, in its order, with the values counted for it (a tuple
    keyed by party id, as a GROUP BY gave them) or zeros."""
    return tuple(
        ReportRow(party.code, party_label(party), tuple(counted.get(party.id, (0,) * width)))
        for party in parties
    )


def group_columns(group: Any) -> tuple:
    """A hit's working group as plain columns of its row (`group`: the WorkingGroup model,
    outer-joined by the source), read back by hit_group."""
    return (
        group.id.label("group_id"),
        group.name_en.label("group_name_en"),
        group.name_es.label("group_name_es"),
    )


def hit_group(row: Any) -> Name | None:
    """The working group of a row selected with group_columns, or None."""
    return Name(row.group_name_en, row.group_name_es) if row.group_id is not None else None

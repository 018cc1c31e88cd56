"""What the search page finds of meetings: their titles and descriptions, agenda items and
minutes, each through the meeting's access rule in SQL (portal/meetings/access.py).

The minutes page shows the minutes, drafts included, to every reader of the meeting, so
search finds them for the same readers; the terms are kept by portal/meetings/models.py.
"""

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.core.access import role_clause, viewer_parameters
from portal.core.bilingual import choose, hit_texts, text_in
from portal.core.i18n import current_language
from portal.core.search import SearchQuery
from portal.core.search_match import newest_matches
from portal.meetings.access import listed_meetings_clause
from portal.meetings.models import AgendaItem, Meeting, Minutes
from portal.mous.models import WorkingGroup
from portal.web.sources import SearchHit, SearchSource, group_columns, hit_group

EXCERPT = 2_000  # characters of a text read for its snippet


def _meetings(*columns):
    """The columns a hit shows, as plain rows (not objects: a page shows 20 of the ~20 to 40
    rows each kind gives), with the meeting's working group."""
    return select(
        Meeting.id,
        Meeting.title_en,
        Meeting.title_es,
        Meeting.description_md_en,
        Meeting.description_md_es,
        Meeting.starts_at,
        *columns,
        *group_columns(WorkingGroup),
    )


def meeting_hits(session: Session, reader: User, query: SearchQuery, limit: int) -> list:
    statement, parameters = newest_matches(
        session,
        lambda: _meetings().outerjoin(WorkingGroup, WorkingGroup.id == Meeting.working_group_id),
        "meeting",
        Meeting.id,
        query,
        role_clause(listed_meetings_clause, reader.role),
        (Meeting.starts_at, Meeting.id),
        limit,
        parameters=viewer_parameters(reader),
        key=reader.role,
    )
    return [
        SearchHit(
            kind="meeting",
            title=title,
            url=url_for("meetings.detail", meeting_id=meeting.id),
            when=meeting.starts_at,
            group=hit_group(meeting),
            excerpt=excerpt[:EXCERPT],
            language=language,
        )
        for reader_language in [current_language()]  # the reader's, asked once
        for meeting in session.execute(statement, parameters)
        for title, language, excerpt in [hit_texts(meeting, reader_language, text="description_md")]
    ]


def agenda_item_hits(session: Session, reader: User, query: SearchQuery, limit: int) -> list:
    def items():
        return (
            select(
                AgendaItem.id,
                AgendaItem.title_en,
                AgendaItem.title_es,
                AgendaItem.presenter,
                AgendaItem.meeting_id,
                Meeting.title_en.label("meeting_title_en"),
                Meeting.title_es.label("meeting_title_es"),
                Meeting.starts_at,
                *group_columns(WorkingGroup),
            )
            .join(Meeting, Meeting.id == AgendaItem.meeting_id)
            .outerjoin(WorkingGroup, WorkingGroup.id == Meeting.working_group_id)
        )

    statement, parameters = newest_matches(
        session,
        items,
        "agenda_item",
        AgendaItem.id,
        query,
        role_clause(listed_meetings_clause, reader.role),
        (Meeting.starts_at, AgendaItem.id),
        limit,
        parameters=viewer_parameters(reader),
        key=reader.role,
    )
    return [
        SearchHit(
            kind="agenda_item",
            title=(
                f"{text_in(item, 'title', shown)} · "
                f"{choose(item.meeting_title_en, item.meeting_title_es, shown).text}"
            ),
            url=url_for("meetings.detail", meeting_id=item.meeting_id) + "#agenda",
            when=item.starts_at,
            group=hit_group(item),
            excerpt=item.presenter,
        )
        for shown in [current_language()]  # the reader's, asked once
        for item in session.execute(statement, parameters)
    ]


def minutes_hits(session: Session, reader: User, query: SearchQuery, limit: int) -> list:
    def minutes():
        return (
            _meetings(func.substr(Minutes.body_md, 1, EXCERPT).label("excerpt"))
            .join(Minutes, Minutes.meeting_id == Meeting.id)
            .outerjoin(WorkingGroup, WorkingGroup.id == Meeting.working_group_id)
        )

    statement, parameters = newest_matches(
        session,
        minutes,
        "minutes",
        Minutes.id,
        query,
        role_clause(listed_meetings_clause, reader.role),
        (Meeting.starts_at, Meeting.id),
        limit,
        parameters=viewer_parameters(reader),
        key=reader.role,
    )
    return [
        SearchHit(
            kind="minutes",
            title=text_in(meeting, "title", language),
            url=url_for("meetings.minutes", meeting_id=meeting.id),
            when=meeting.starts_at,
            group=hit_group(meeting),
            excerpt=meeting.excerpt or "",
        )
        for language in [current_language()]  # the reader's, asked once
        for meeting in session.execute(statement, parameters)
    ]


SEARCH_SOURCES = (
    SearchSource("meeting", _l("Meeting"), meeting_hits, order=20),
    SearchSource("agenda_item", _l("Agenda item"), agenda_item_hits, order=30),
    SearchSource("minutes", _l("Minutes"), minutes_hits, order=40),
)

"""The management page kept: its body, the same for every manager, stored per language in
`meeting_manage_pages` and served while its version is the meeting's.

The body shows the meeting, its agenda, the first page of its invitees, their attendance and
its minutes: every change of these raises `Meeting.page_version` (page_cache.PAGE_VERSION
declares them for the readers' page, which shows the same). What each manager has of their
own is left as slots (manage.py fills them); what the meeting's time decides (attendance
open, cancelling closed) is part of the layout, so a body kept before the start or the end
is not served after it.

The picker's first list (who may still be invited, by name) is the same for every manager
too: it is kept in the same row, drawn with slots for the manager's tokens, under the body's
version (which invitees raise) and the counter of the accounts it lists
(manage_queries.PEOPLE), read with the version. A change of accounts leaves the body as it
is: the next manager draws the list again and keeps it with the body.

A body is rendered by the first manager who opens the page after a change, who is most
often the one who made it (each form leads back to the page), and kept from their request
on. Later pages of invitees are rendered for each request, as are forms that failed.
"""

from flask import current_app
from flask_babel import force_locale
from sqlalchemy.orm import Session

from portal.core import past_events
from portal.core.i18n import current_language, localized
from portal.core.kept import DatabaseStore, counter_statement, layout_of, may_keep
from portal.meetings import manage_queries, queries
from portal.meetings.manage import default_picker, fill, managed_facts, render_body
from portal.meetings.models import ManagePage, Meeting
from portal.web.forms import page_number

PAGES = DatabaseStore(ManagePage, ("meeting_id", "language"))

# What a kept body is made of, besides the data (see stored_layout).
LAYOUT_TEMPLATES = (
    "meetings/_manage.html",
    "meetings/_manage_parts.html",
    "meetings/_agenda_form.html",
    "meetings/_minutes_panel.html",
    "_macros.html",
)


def stored_layout(meeting) -> str:
    """The templates and catalogues a body is made with, and what the meeting's time decided
    of it: before the start, started, over."""
    if past_events.is_over(meeting):
        moment = "o"
    else:
        moment = "s" if past_events.has_started(meeting) else "u"
    return layout_of(LAYOUT_TEMPLATES)[:15] + moment


def kept_manage_page(session: Session, request_values, meeting_id: int):
    """GET /meetings/<id>/manage: the kept body, filled for this manager (refused as
    managed_meeting refuses); the first page of invitees only is kept."""
    facts = managed_facts(meeting_id)
    layout = stored_layout(facts)  # before rendering: the end may pass meanwhile
    if page_number(request_values) > 1:
        meeting = queries.load_meeting(session, meeting_id, queries.MANAGE_PAGE_OPTIONS)
        body = render_body(meeting, page=page_number(request_values))
        return fill(facts, localized(meeting, "title"), body)
    kept = PAGES.is_current(facts.stored_version, facts.layout, facts.page_version, layout)
    people = facts.people  # the accounts' counter: None without its row (nothing kept)
    if kept and people is not None and facts.kept_people == people:
        return fill(facts, facts.title, facts.html, picker=facts.picker)
    if kept:
        title, body = facts.title, facts.html
    else:
        meeting = queries.load_meeting(session, meeting_id, queries.MANAGE_PAGE_OPTIONS)
        title, body = localized(meeting, "title"), render_body(meeting)
    picker = default_picker(facts.id, facts.mou_id) if people is not None else None
    if may_keep(session):
        # The version and counter were read before the data (facts): see
        # portal/core/kept/versions.py.
        key = {"meeting_id": meeting_id, "language": current_language()}
        values = {"title": title, "html": body, "picker": picker, "people_generation": people}
        PAGES.keep(session, key, version=facts.page_version, layout=layout, **values)
    return fill(facts, title, body, picker=picker)


def store_manage_pages(session: Session, meeting: Meeting, version: int) -> None:
    """Keep the body of a meeting loaded (queries.MANAGE_PAGE_OPTIONS) after `version` was
    read, in every language, as its first manager would (bench/render_pages.py), with the
    picker's first list."""
    people = session.scalar(counter_statement(manage_queries.PEOPLE))
    mou_id = meeting.working_group.mou_id
    for language in current_app.config["LANGUAGES"]:
        layout = stored_layout(meeting)
        with force_locale(language):
            title, html = localized(meeting, "title"), render_body(meeting)
            picker = default_picker(meeting.id, mou_id) if people is not None else None
        key = {"meeting_id": meeting.id, "language": language}
        values = {"title": title, "html": html, "picker": picker, "people_generation": people}
        PAGES.keep(session, key, version=version, layout=layout, **values)

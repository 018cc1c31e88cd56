"""Action items' due dates in their owners' month calendar and private feed: the actions'
CalendarSource (portal.web.features), declared in portal/actions/__init__.py.

Only the reader's own open items (open or in progress) are shown, and only while the reader
may still see the item (actions/access.py): a coordinator does not get their group's dates,
an administrator not everybody's. Nothing is kept between requests: a due date moved, or an
item closed, shows so on the next page and feed fetch.

In the feed a due date is an all-day VEVENT (DTSTART;VALUE=DATE, TRANSP:TRANSPARENT), not a
VTODO: Google Calendar and Outlook drop the VTODOs of a subscribed calendar, and Apple
Calendar shows a subscription's VTODOs nowhere (Reminders reads only CalDAV lists), while
all three show an all-day event on its day. TRANSPARENT keeps it from marking the day busy.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import cache
from urllib.parse import urlsplit

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from icalendar import Event
from sqlalchemy import Select, bindparam, cast, exists, false, null, select
from sqlalchemy.orm import Session

from portal.accounts.models import Role, User
from portal.actions.access import visible_actions_clause
from portal.actions.models import ACTIVE_STATUSES, ActionItem, action_owners
from portal.calendar.ics import CalendarWriter, utc
from portal.core.access import ParametricViewer
from portal.core.bilingual import choose, labelled_text
from portal.core.db import UTCDateTime
from portal.web.sources import CalendarEntry, CalendarSource
from portal.web.urls import external_url

LABEL = _l("Due date")
# What a feed calls a due date (CATEGORIES), in the reader's language.
FEED_CATEGORY = {"en": "Due date", "es": "Plazo"}
# A feed lists at most this many due dates.
FEED_LIMIT = 1000


def _own_open_items(person: User):
    owned = exists().where(
        action_owners.c.action_item_id == ActionItem.id, action_owners.c.user_id == person.id
    )
    return select(ActionItem).where(
        owned, ActionItem.status.in_(ACTIVE_STATUSES), visible_actions_clause(person)
    )


def month_entry(row, language: str) -> CalendarEntry:
    item_id, title_en, title_es, _starts, _ends, due_on, _cancelled = row
    return CalendarEntry(
        kind="due",
        label=LABEL,
        title=choose(title_en, title_es, language).text,
        url=url_for("actions.detail", item_id=item_id),
        on=due_on,
    )


@cache
def month_query(role: Role) -> Select:
    """The viewer's own open items due on a day of the month, a day wider on each side (the
    page places them on the reader's days and keeps those of the month), as MONTH_COLUMNS
    (portal.web.sources)."""
    viewer = ParametricViewer(role)
    owned = exists().where(
        action_owners.c.action_item_id == ActionItem.id, action_owners.c.user_id == viewer.id
    )
    no_instant = cast(null(), UTCDateTime())
    return select(
        ActionItem.id,
        ActionItem.title_en,
        ActionItem.title_es,
        no_instant.label("starts_at"),
        no_instant.label("ends_at"),
        ActionItem.due_on.label("on"),
        false().label("cancelled"),
    ).where(
        owned,
        ActionItem.status.in_(ACTIVE_STATUSES),
        visible_actions_clause(viewer),
        ActionItem.due_on >= bindparam("first_day"),
        ActionItem.due_on <= bindparam("last_day"),
    )


def feed_uid(item: ActionItem) -> str:
    """The due date's UID: one per item, the same whatever its date becomes."""
    host = urlsplit(current_app.config["PORTAL_BASE_URL"]).hostname or "portal"
    return f"action-{item.id}-due@{host}"


def feed_events(
    session: Session, person: User, since: datetime, writer: CalendarWriter
) -> Iterable[Event]:
    query = (
        _own_open_items(person)
        .where(ActionItem.due_on >= since.date())
        .order_by(ActionItem.due_on, ActionItem.id)
        .limit(FEED_LIMIT)
    )
    with force_locale(writer.language):
        return [_due_event(item, writer) for item in session.scalars(query)]


def _due_event(item: ActionItem, writer: CalendarWriter) -> Event:
    modified = utc(item.updated_at)
    event = Event()
    event.add("uid", feed_uid(item))
    event.add("sequence", 0)  # clients replace a subscription's events wholesale
    event.add("dtstamp", modified)
    event.add("last-modified", modified)
    title = labelled_text(item, "title", writer.language)
    event.add("summary", _("Due: %(title)s", title=title))
    event.add("dtstart", item.due_on)
    event.add("dtend", item.due_on + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add("status", "CONFIRMED")
    event.add("categories", [FEED_CATEGORY[writer.language]])
    page = external_url("actions.detail", item_id=item.id)
    event.add("url", page)
    event.add("description", page)
    return event


SOURCE = CalendarSource(
    month_query=month_query, month_entry=month_entry, feed_events=feed_events, order=30
)

"""The training sessions in the month calendar and in each person's private feed: the
trainings' CalendarSource (portal.web.features), declared in portal/trainings/__init__.py.

A person sees there exactly the sessions trainings/access.py lets them see. Nothing is kept
between requests: a session moved or cancelled shows so on the next page and feed fetch.
"""

from collections.abc import Iterable
from datetime import datetime
from functools import cache

from flask import url_for
from flask_babel import lazy_gettext as _l
from icalendar import Event
from sqlalchemy import Date, Select, bindparam, cast, null, select
from sqlalchemy.orm import Session

from portal.accounts.models import Role, User
from portal.calendar.ics import CalendarWriter
from portal.core.access import ParametricViewer
from portal.core.bilingual import choose
from portal.trainings.access import visible_trainings_clause
from portal.trainings.ics import feed_event
from portal.trainings.models import Training, TrainingStatus
from portal.web.sources import CalendarEntry, CalendarSource

LABEL = _l("Training")
# A feed lists at most this many sessions (as it does meetings).
FEED_LIMIT = 1000


@cache
def month_query(role: Role) -> Select:
    """The sessions the viewer may see overlapping the month, cancelled ones included (the
    page says they are), as MONTH_COLUMNS (portal.web.sources)."""
    viewer = ParametricViewer(role)
    return select(
        Training.id,
        Training.title_en,
        Training.title_es,
        Training.starts_at,
        Training.ends_at,
        cast(null(), Date).label("on"),
        (Training.status == TrainingStatus.CANCELLED).label("cancelled"),
    ).where(
        Training.starts_at < bindparam("month_end"),
        Training.ends_at > bindparam("month_start"),
        visible_trainings_clause(viewer),
    )


def month_entry(row, language: str) -> CalendarEntry:
    training_id, title_en, title_es, starts_at, ends_at, _on, cancelled = row
    return CalendarEntry(
        kind="training",
        label=LABEL,
        title=choose(title_en, title_es, language).text,
        url=url_for("trainings.detail", training_id=training_id),
        starts_at=starts_at,
        ends_at=ends_at,
        cancelled=bool(cancelled),
    )


def feed_events(
    session: Session, person: User, since: datetime, writer: CalendarWriter
) -> Iterable[Event]:
    """The sessions the person may see ending after `since`; cancelled ones are left out,
    so subscribed calendars remove them (as the feed does with meetings)."""
    query = (
        select(Training)
        .where(
            Training.ends_at >= since,
            Training.status != TrainingStatus.CANCELLED,
            visible_trainings_clause(person),
        )
        .order_by(Training.starts_at, Training.id)
        .limit(FEED_LIMIT)
    )
    return [feed_event(writer, training) for training in session.scalars(query)]


SOURCE = CalendarSource(
    month_query=month_query, month_entry=month_entry, feed_events=feed_events, order=20
)

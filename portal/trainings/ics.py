"""The .ics of a training session, written by the shared iCalendar writer.

A training is one event like a one-off meeting: the same UID forever, a SEQUENCE that rises
with every change sent, METHOD REQUEST or CANCEL (shared/ICALENDAR.md), in the reader's
language.
"""

from flask import current_app
from icalendar import Event

from portal.accounts.models import User
from portal.calendar.ics import CalendarWriter, EventText, utc
from portal.core.bilingual import labelled_text, text_in
from portal.core.tlp import TLP
from portal.trainings.models import Training

# What the session's own text is: shared with the MoU's parties and the invited participants.
SESSION_TLP = TLP.GREEN
# What a feed calls a session (CATEGORIES), in the reader's language (as RED_NOTE is).
FEED_CATEGORY = {"en": "Training", "es": "Capacitación"}


def _text(training: Training, language: str) -> EventText:
    """What the session's VEVENT says, in `language`, else in the other marked (EN/ES)."""
    return EventText(
        title=labelled_text(training, "title", language),
        description_md=text_in(training, "description_md", language),
        place=training.venue,
        video_url=training.link,
        tlp=SESSION_TLP,
    )


def training_calendar(training: Training, *, method: str, attendee: User) -> str:
    """The session as REQUEST (registration, change) or CANCEL, for one attendee."""
    organiser = training.organiser
    writer = CalendarWriter(
        method,
        attendee,
        current_app.config["MAIL_DEFAULT_SENDER"],
        organiser.name if organiser else "Cooperation Portal",
        attendee.language,
    )
    event = writer.one_off(
        _text(training, writer.language),
        uid=training.uid,
        sequence=training.sequence,
        starts_at=training.starts_at,
        ends_at=training.ends_at,
        cancelled=training.is_cancelled,
    )
    return writer.calendar([event])


def feed_event(writer: CalendarWriter, training: Training) -> Event:
    """The session in a person's private feed (point 13): its own UID and SEQUENCE, stamped
    with its last change so fetches give the same bytes, and written on its organiser's wall
    clock with a TZID (the writer adds the zone's VTIMEZONE, point 10) so a subscribed
    calendar shows it where it happens."""
    modified = utc(training.updated_at)
    event = writer.event(
        _text(training, writer.language),
        uid=training.uid,
        sequence=training.sequence,
        stamp=modified,
    )
    event.add("last-modified", modified)
    event.add("dtstart", writer.instant(training.timezone, training.starts_at))
    event.add("dtend", writer.instant(training.timezone, training.ends_at))
    event.add("status", "CONFIRMED")
    event.add("categories", [FEED_CATEGORY[writer.language]])
    return event

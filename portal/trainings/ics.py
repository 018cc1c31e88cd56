"""The .ics of a training session, written by the meetings' iCalendar writer.

A training is one event like a one-off meeting: the same UID forever, a SEQUENCE that rises
with every change sent, METHOD REQUEST or CANCEL (shared/ICALENDAR.md). The writer reads a
handful of a meeting's attributes; `_SessionEvent` gives it those of a training, in the
reader's language.
"""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from portal.accounts.models import User
from portal.core.tlp import TLP
from portal.meetings import ics
from portal.trainings.models import Training

# What the session's own text is: shared with the MoU's parties and the invited participants.
SESSION_TLP = TLP.GREEN


@dataclass(frozen=True)
class _SessionEvent:
    """The attributes of a meeting that meetings.ics writes, taken from a training."""

    uid: str
    sequence: int
    title_en: str
    title_es: str
    description_md: str
    place: str
    video_url: str
    starts_at: datetime
    ends_at: datetime
    is_cancelled: bool
    tlp: TLP = SESSION_TLP
    series_id: None = None


def _event(training: Training, language: str) -> _SessionEvent:
    description = training.description_md_es if language == "es" else training.description_md_en
    return _SessionEvent(
        uid=training.uid,
        sequence=training.sequence,
        title_en=training.title_en,
        title_es=training.title_es or training.title_en,
        description_md=description or training.description_md_en,
        place=training.venue,
        video_url=training.link,
        starts_at=training.starts_at,
        ends_at=training.ends_at,
        is_cancelled=training.is_cancelled,
    )


def training_calendar(training: Training, *, method: str, attendee: User) -> str:
    """The session as REQUEST (registration, change) or CANCEL, for one attendee."""
    organiser = training.organiser
    return ics.meeting_calendar(
        _event(training, attendee.language),
        method=method,
        attendee=attendee,
        organiser_email=current_app.config["MAIL_DEFAULT_SENDER"],
        organiser_name=organiser.name if organiser else "Cooperation Portal",
        language=attendee.language,
    )

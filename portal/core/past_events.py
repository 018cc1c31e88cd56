"""What closes once a meeting or a training is in the past (issue 13, item 4).

"Over" is the end instant, in UTC: whatever zone a meeting is shown in, it is over for
everybody at the same moment; each occurrence of a series is judged by its own times.

  meeting    replies and cancelling close at its end; attendance opens at its start
  training   registrations can no longer be cancelled from its start; the training itself
             no longer from its end
  creating   a start in the past is recorded only when asked ("record a past meeting"),
             and sends no invitation
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l

from portal.core.db import utcnow
from portal.core.errors import Conflict


def has_started(event, now: datetime | None = None) -> bool:
    return (now or utcnow()) >= event.starts_at


def is_over(event, now: datetime | None = None) -> bool:
    return (now or utcnow()) >= event.ends_at


def is_in_the_past(starts_at: datetime, now: datetime | None = None) -> bool:
    return starts_at <= (now or utcnow())


# Meetings ---------------------------------------------------------------------------------


def replies_open(meeting, now: datetime | None = None) -> bool:
    return not meeting.is_cancelled and not is_over(meeting, now)


def require_replies_open(meeting) -> None:
    if is_over(meeting):
        raise Conflict(str(_l("This meeting is over: replies are closed.")))


def require_meeting_cancellable(meeting) -> None:
    if is_over(meeting):
        raise Conflict(str(_l("This meeting is over: it can no longer be cancelled.")))


# Trainings --------------------------------------------------------------------------------


def registration_cancellable(training, now: datetime | None = None) -> bool:
    return not training.is_cancelled and not has_started(training, now)


def require_registration_cancellable(training) -> None:
    if has_started(training):
        raise Conflict(
            str(_l("The training has started: registrations can no longer be cancelled."))
        )


def training_cancellable(training, now: datetime | None = None) -> bool:
    return not training.is_cancelled and not is_over(training, now)


def require_training_cancellable(training) -> None:
    if is_over(training):
        raise Conflict(str(_l("This training is over: it can no longer be cancelled.")))

"""The reminder the day before a training, to everyone with a seat."""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.core.reminder_log import record_reminder, sent_keys
from portal.trainings import access
from portal.trainings import notifications as notify
from portal.trainings.models import Registration, RegistrationStatus, Training, TrainingStatus

JOB = "training_24h"
AHEAD = timedelta(hours=24)


def queue_training_reminders(session: Session, now: datetime) -> int:
    """Queue the reminders now due; return how many. Safe to run every few minutes."""
    trainings = session.scalars(
        select(Training)
        .where(
            Training.status == TrainingStatus.SCHEDULED,
            Training.starts_at > now,
            Training.starts_at <= now + AHEAD,
        )
        .options(selectinload(Training.registrations).joinedload(Registration.user))
        .order_by(Training.starts_at)
    )
    queued = 0
    for training in trainings:
        # The start is part of the key: a training moved to another day is reminded again.
        period = training.starts_at.isoformat()
        done = {user for _, user, sent in sent_keys(session, JOB, [training.id]) if sent == period}
        for registration in training.registrations:
            person = registration.user
            if registration.status != RegistrationStatus.CONFIRMED or person.id in done:
                continue
            if not person.is_active or not access.can_view_training(person, training):
                continue
            notify.reminder(session, training, person, now)
            record_reminder(session, JOB, training.id, person.id, period)
            queued += 1
    return queued

"""What reminders have been queued, so `flask reminders run` never queues one twice."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.notifications.models import SentReminder


def reminded_people(session: Session, job: str, object_id: int, due_at: datetime) -> set[int]:
    query = select(SentReminder.user_id).where(
        SentReminder.job == job, SentReminder.object_id == object_id, SentReminder.due_at == due_at
    )
    return set(session.scalars(query))


def remember_reminder(
    session: Session, job: str, object_id: int, user_id: int, due_at: datetime
) -> None:
    """Recorded in the reminder's own transaction; a concurrent run hits the unique key."""
    session.add(SentReminder(job=job, object_id=object_id, user_id=user_id, due_at=due_at))

"""What reminders were sent: each (job, object, person, period) is queued once."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.core.db import UTCDateTime, utcnow
from portal.core.extensions import db


class SentReminder(db.Model):
    """A reminder that was queued: (job, object, person, period) happens once."""

    __tablename__ = "sent_reminders"
    __table_args__ = (UniqueConstraint("job", "object_id", "user_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # What makes the reminder due: a due date, an ISO week ("2026-W48")...
    period: Mapped[str] = mapped_column(String(32))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def sent_keys(session: Session, job: str, object_ids: list[int]) -> set[tuple[int, int, str]]:
    """The (object, person, period) keys of the job's reminders already sent for these objects."""
    if not object_ids:
        return set()
    rows = session.execute(
        select(SentReminder.object_id, SentReminder.user_id, SentReminder.period).where(
            SentReminder.job == job, SentReminder.object_id.in_(object_ids)
        )
    )
    return {tuple(row) for row in rows}


def record_reminder(session: Session, job: str, object_id: int, user_id: int, period: str) -> None:
    """Its unique key makes a second worker's commit of the same reminder fail, not send twice."""
    session.add(SentReminder(job=job, object_id=object_id, user_id=user_id, period=period))

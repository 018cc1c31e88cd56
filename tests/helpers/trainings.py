"""Trainings for the tests: dates, forms and the mails and seats the app committed."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from portal.notifications.models import OutboxMessage
from portal.trainings.models import Registration

REGISTRATION = {"organisation": "CSIRT de Gobierno", "sector": "public"}

# The POST routes of certificates, feedback and verification (the follow-up matrix's own).
FOLLOWUP_POSTS = {
    "trainings.issue_certificates",
    "trainings.submit_feedback",
    "trainings.verify_certificate",
}


def in_days(days: float) -> datetime:
    return datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=days)


LATER = in_days(60)


def training_form(title: str) -> dict:
    """A valid new-training form: online, in sixty days, open to external participants."""
    day = LATER.strftime("%Y-%m-%d")
    before = (LATER - timedelta(days=3)).strftime("%Y-%m-%d")
    return {
        "title_en": title,
        "title_es": title + " (es)",
        "audience": "both",
        "format": "online",
        "link": "https://video.example.org/course",
        "start_local": f"{day}T10:00",
        "end_local": f"{day}T13:00",
        "registration_closes_local": f"{before}T18:00",
        "timezone": "America/Santiago",
        "language": "es",
        "capacity": "10",
        "working_group_id": "0",
        "allow_external": "y",
    }


def mails(session, kind: str | None = None, recipient: str | None = None) -> list[OutboxMessage]:
    """The queued mails, oldest first, as committed by the app."""
    session.rollback()
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    if recipient is not None:
        query = query.where(OutboxMessage.recipient == recipient)
    return list(session.scalars(query))


def registrations(session, training) -> dict[str, tuple[str, int]]:
    """{email: (status, queue number)} of the training, as committed by the app."""
    session.rollback()
    rows = session.scalars(
        select(Registration)
        .where(Registration.training_id == training.id)
        .order_by(Registration.queue_number)
    )
    return {r.user.email: (r.status.value, r.queue_number) for r in rows}

"""Trainings for the tests: one upcoming under the Chile–UK MoU, and ways to read its mails."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.notifications.models import OutboxMessage
from portal.trainings.models import Registration
from tests import factories
from tests.documents.conftest import make_document  # noqa: F401  (a fixture, used here)

REGISTRATION = {"organisation": "CSIRT de Gobierno", "sector": "public"}


def in_days(days: float) -> datetime:
    return datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=days)


@pytest.fixture
def training(world, session):
    """In ten days, three hours, two seats, open to external participants."""
    made = factories.make_training(
        session, world.mou, in_days(10), capacity=2, allow_external=True, organiser=world.admin
    )
    session.commit()
    return made


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

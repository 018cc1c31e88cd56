"""Ended trainings with attendance, for the certificate, feedback and report tests."""

from datetime import UTC, datetime

from portal.trainings.models import RegistrationStatus
from tests import factories

# A session that has ended: Tuesday 3 March 2026, 10:00–13:30 in Santiago (13:00–16:30 UTC).
PAST_START = datetime(2026, 3, 3, 13, 0, tzinfo=UTC)


def make_training(session, mou, starts_at=PAST_START, *, hours: float = 3.5, **fields):
    fields.setdefault("title_en", "Incident response for CSIRTs")
    fields.setdefault("title_es", "Respuesta a incidentes para CSIRT")
    return factories.make_training(session, mou, starts_at, hours=hours, **fields)


def register(session, training, person, *, status=RegistrationStatus.CONFIRMED, **fields):
    return factories.make_registration(session, training, person, status, **fields)

"""Trainings with registrations and attendance, for the certificate, feedback and report tests."""

from datetime import UTC, datetime, timedelta
from itertools import count

from portal.trainings.models import (
    Audience,
    Registration,
    RegistrationStatus,
    Sector,
    Training,
    TrainingFormat,
    TrainingLanguage,
)

_numbers = count(1)
# A session that has ended: Tuesday 3 March 2026, 10:00–13:30 in Santiago (13:00–16:30 UTC).
PAST_START = datetime(2026, 3, 3, 13, 0, tzinfo=UTC)


def make_training(session, mou, starts_at=PAST_START, *, hours: float = 3.5, **fields) -> Training:
    training = Training(
        mou=mou,
        uid=f"training-{next(_numbers)}@portal.test",
        title_en=fields.pop("title_en", "Incident response for CSIRTs"),
        title_es=fields.pop("title_es", "Respuesta a incidentes para CSIRT"),
        audience=fields.pop("audience", Audience.BOTH),
        format=fields.pop("format", TrainingFormat.IN_PERSON),
        venue=fields.pop("venue", "Santiago"),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        timezone=fields.pop("timezone", "America/Santiago"),
        language=fields.pop("language", TrainingLanguage.BOTH),
        capacity=fields.pop("capacity", 20),
        registration_closes_at=starts_at - timedelta(days=1),
        **fields,
    )
    session.add(training)
    session.flush()
    return training


def register(
    session,
    training: Training,
    person,
    *,
    status=RegistrationStatus.CONFIRMED,
    attendance=None,
    sector=Sector.PUBLIC,
    organisation="CSIRT",
) -> Registration:
    training.registrations_taken += 1
    registration = Registration(
        training=training,
        user=person,
        organisation=organisation,
        sector=sector,
        status=status,
        queue_number=training.registrations_taken,
        attendance=attendance,
    )
    session.add(registration)
    session.flush()
    return registration

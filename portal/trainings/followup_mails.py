"""The mails that follow a session: "certificate available" and "feedback requested",
through the outbox, each in the participant's language (category: trainings).

Like every training mail they carry the session's .ics (REQUEST, same UID and SEQUENCE:
a calendar keeps the event as it is)."""

from sqlalchemy.orm import Session

from portal.trainings.models import Registration
from portal.trainings.notifications import send
from portal.web.urls import external_url


def certificate_available(session: Session, certificate) -> None:
    registration = certificate.registration
    send(
        session,
        "certificate_available",
        registration.training,
        registration.user,
        code=certificate.display_code,
        link=external_url("trainings.certificates", training_id=registration.training_id),
    )


def feedback_requested(session: Session, registration: Registration) -> None:
    send(
        session,
        "feedback_requested",
        registration.training,
        registration.user,
        link=external_url("trainings.feedback", training_id=registration.training_id),
    )

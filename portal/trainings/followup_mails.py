"""The mails that follow a session: "certificate available" and "feedback requested",
through the outbox, each in the participant's language (category: trainings).

Like every training mail they carry the session's .ics (REQUEST, same UID and SEQUENCE:
a calendar keeps the event as it is)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.notifications.services import queue_email
from portal.trainings.ics import training_calendar
from portal.trainings.models import Registration, Training
from portal.urls import external_url


def _title(training: Training, language: str) -> str:
    return training.title_es if language == "es" and training.title_es else training.title_en


def _send(session: Session, kind: str, subject, registration: Registration, **context) -> None:
    person, training = registration.user, registration.training
    if not person.is_active:
        return
    queue_email(
        session,
        kind=f"training_{kind}",
        template=f"trainings/{kind}",
        subject=_l(subject, title=_title(training, person.language)),
        recipient=person.email,
        recipient_user=person,
        language=person.language,
        ics=("REQUEST", training_calendar(training, method="REQUEST", attendee=person)),
        training=training,
        title=_title(training, person.language),
        **context,
    )


def certificate_available(session: Session, certificate) -> None:
    registration = certificate.registration
    _send(
        session,
        "certificate_available",
        _l("Your certificate of attendance: %(title)s"),
        registration,
        code=certificate.display_code,
        link=external_url("trainings.certificates", training_id=registration.training_id),
    )


def feedback_requested(session: Session, registration: Registration) -> None:
    _send(
        session,
        "feedback_requested",
        _l("How was the training? %(title)s"),
        registration,
        link=external_url("trainings.feedback", training_id=registration.training_id),
    )

"""Training mails through the outbox: one per person, in their language and zone, with the
session's .ics (REQUEST, or CANCEL when their place or the session is gone)."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.calendar.ics import AttendeeStandIn, CalendarForMany
from portal.core.bilingual import labelled_text
from portal.core.i18n import time_of_day, today_or_tomorrow
from portal.notifications.readable import about
from portal.notifications.services import Addressee, queue_email, queue_emails
from portal.trainings.ics import training_calendar
from portal.trainings.models import Registration, RegistrationStatus, Training
from portal.web.urls import external_url

# kind -> (subject, iCalendar METHOD); the template is emails/trainings/<kind>.
MAILS = {
    "confirmed": (_l("Registration confirmed: %(title)s"), "REQUEST"),
    "waitlisted": (_l("On the waiting list: %(title)s"), "REQUEST"),
    "promoted": (_l("A seat for you: %(title)s"), "REQUEST"),
    "changed": (_l("Training changed: %(title)s"), "REQUEST"),
    "reminder": (_l("Tomorrow at %(time)s: %(title)s"), "REQUEST"),
    "cancelled": (_l("Training cancelled: %(title)s"), "CANCEL"),
    "registration_cancelled": (_l("Registration cancelled: %(title)s"), "CANCEL"),
    "invited": (_l("Invitation to a training: %(title)s"), "REQUEST"),
    # After the session (certificate_available and feedback_requested, at the end).
    "certificate_available": (_l("Your certificate of attendance: %(title)s"), "REQUEST"),
    "feedback_requested": (_l("How was the training? %(title)s"), "REQUEST"),
}


def title_for(training: Training, language: str) -> str:
    return labelled_text(training, "title", language)


# The reminder says when on the reader's clock: today or tomorrow (see portal.core.i18n).
# What the outbox page calls each kind of mail queued here.
MAIL_KINDS = {
    "training_confirmed": _l("Training registration confirmed"),
    "training_waitlisted": _l("On a training's waiting list"),
    "training_promoted": _l("Seat from a training's waiting list"),
    "training_changed": _l("Training changed"),
    "training_reminder": _l("Training reminder"),
    "training_cancelled": _l("Training cancelled"),
    "training_registration_cancelled": _l("Training registration cancelled"),
    "training_invited": _l("Invitation to a training"),
    "training_certificate_available": _l("Training certificate available"),
    "training_feedback_requested": _l("Training feedback requested"),
}

REMINDER_SUBJECTS = {
    "today": _l("Today at %(time)s: %(title)s"),
    "tomorrow": MAILS["reminder"][0],
}


def send(
    session: Session, kind: str, training: Training, person: User, subject=None, **context
) -> None:
    """Queue the mail of `kind`; `subject` replaces its usual one (with the same values)."""
    usual, method = MAILS[kind]
    if not person.is_active:
        return
    values = {"title": title_for(training, person.language), "time": context.get("time", "")}
    queue_email(
        session,
        kind=f"training_{kind}",
        template=f"trainings/{kind}",
        subject=_l(usual if subject is None else subject, **values),
        recipient=person.email,
        recipient_user=person,
        language=person.language,
        ics=(method, training_calendar(training, method=method, attendee=person)),
        training=training,
        about=about("training", training.id),
        title=title_for(training, person.language),
        zones=training.clock_zones,
        **{"link": external_url("trainings.detail", training_id=training.id), **context},
    )


def reminder(session: Session, training: Training, person: User, now: datetime) -> None:
    when = today_or_tomorrow(training.starts_at, now, person.timezone)
    time = time_of_day(training.starts_at, person.timezone, person.language)
    send(session, "reminder", training, person, REMINDER_SUBJECTS[when], moment=when, time=time)


def registration_confirmed(session: Session, registration: Registration) -> None:
    send(session, "confirmed", registration.training, registration.user)


def registration_waitlisted(session: Session, registration: Registration, position: int) -> None:
    send(session, "waitlisted", registration.training, registration.user, position=position)


def registration_promoted(session: Session, registration: Registration) -> None:
    send(session, "promoted", registration.training, registration.user)


def registration_cancelled(session: Session, registration: Registration) -> None:
    send(session, "registration_cancelled", registration.training, registration.user)


def holding_places(training: Training) -> list[User]:
    return [
        r.user
        for r in training.registrations
        if r.status in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
    ]


def send_to_many(session: Session, kind: str, training: Training, people: list) -> None:
    """send() to each person (active: the callers read only those): written once per language
    and zone, with one calendar per language, and filled in for each by the outbox worker
    (see queue_emails)."""
    usual, method = MAILS[kind]

    def calendar(language: str) -> CalendarForMany:
        text = training_calendar(training, method=method, attendee=AttendeeStandIn(language))
        return CalendarForMany(text, asks_reply=method == "REQUEST")

    queue_emails(
        session,
        kind=f"training_{kind}",
        template=f"trainings/{kind}",
        subject=lambda language: _l(usual, title=title_for(training, language), time=""),
        addressees=[Addressee(person) for person in people],
        about=about("training", training.id),
        ics_method=method,
        calendar=calendar,
        training=training,
        zones=training.clock_zones,
        link=external_url("trainings.detail", training_id=training.id),
    )


def _holding_places_loaded(session: Session, training: Training) -> list[Row]:
    """holding_places() of the active, read in one statement as rows of what the mails read
    (id, email, name, language, timezone): no account objects for hundreds of people."""
    return session.execute(
        select(User.id, User.email, User.name, User.language, User.timezone)
        .join(Registration, Registration.user_id == User.id)
        .where(
            Registration.training_id == training.id,
            Registration.status.in_((RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)),
            User.is_active.is_(True),
        )
        .order_by(Registration.queue_number)
    ).all()


def training_changed(session: Session, training: Training) -> None:
    send_to_many(session, "changed", training, _holding_places_loaded(session, training))


def training_cancelled(session: Session, training: Training) -> None:
    send_to_many(session, "cancelled", training, _holding_places_loaded(session, training))


def external_invited(session: Session, training: Training, person: User) -> None:
    """An external participant who already has an account is told of one more training."""
    send(session, "invited", training, person)


def new_external_invited(
    session: Session, training: Training, email: str, language: str, inviter: User, link: str
) -> None:
    """The account invitation of a new external participant, naming the training."""
    subject, _ = MAILS["invited"]
    queue_email(
        session,
        kind="invitation",
        template="trainings/external_invitation",
        subject=_l(subject, title=title_for(training, language)),
        recipient=email,
        language=language,
        training=training,
        zones=training.clock_zones,
        inviter=inviter,
        link=link,
        reference_zone=training.timezone,
    )


# The mails that follow a session: "certificate available" and "feedback requested".
# Like every training mail they carry the session's .ics (REQUEST, same UID and SEQUENCE:
# a calendar keeps the event as it is).
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

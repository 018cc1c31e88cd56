"""Seats, the waiting list and attendance.

The last seat is taken exactly once: every change of who holds a seat first locks the
training's row (SELECT ... FOR UPDATE on PostgreSQL), so two registrations for the last seat
are decided one after the other, and the second finds it taken. SQLite serialises writers on
its own. The queue number, raised under the same lock, keeps the order seats were asked for.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from portal.accounts.models import User
from portal.audit.services import record
from portal.core import past_events
from portal.core.db import utcnow
from portal.core.errors import Conflict, Forbidden, NotFound, ValidationError
from portal.core.i18n import show_datetime
from portal.trainings import access
from portal.trainings import notifications as notify
from portal.trainings.models import (
    AttendanceMark,
    Registration,
    RegistrationStatus,
    Sector,
    Training,
)

ORGANISATION_MAX = 200


@dataclass(frozen=True)
class Participant:
    """What a registration records of the person: where they work, in which sector."""

    organisation: str
    sector: str


def lock_training(session: Session, training_id: int, *, registrations: bool = True) -> Training:
    """The training, its row locked until the transaction ends, with fresh registrations
    (with `registrations` False, read afresh only if asked for: see counted_seats)."""
    query = (
        select(Training)
        .where(Training.id == training_id)
        .with_for_update(of=Training)
        .execution_options(populate_existing=True)
    )
    if registrations:
        query = query.options(selectinload(Training.registrations))
    training = session.scalar(query)
    if training is None:
        raise NotFound()
    return training


def counted_seats(session: Session, training: Training) -> tuple[int, int]:
    """seat_counts() counted by the database: (seats taken, people waiting), without reading
    the registrations (a training of 500 people changed would load 500 objects for two sums)."""
    counts = dict(
        session.execute(
            select(Registration.status, func.count())
            .where(Registration.training_id == training.id)
            .group_by(Registration.status)
        ).all()
    )
    return (
        counts.get(RegistrationStatus.CONFIRMED, 0),
        counts.get(RegistrationStatus.WAITLISTED, 0),
    )


def seat_counts(training: Training) -> tuple[int, int]:
    """(seats taken, people waiting)."""
    taken = sum(r.status == RegistrationStatus.CONFIRMED for r in training.registrations)
    waiting = sum(r.status == RegistrationStatus.WAITLISTED for r in training.registrations)
    return taken, waiting


def waiting_list(training: Training) -> list[Registration]:
    """The waiting list in the order its places were asked for."""
    waiting = [r for r in training.registrations if r.status == RegistrationStatus.WAITLISTED]
    return sorted(waiting, key=lambda r: r.queue_number)


def waiting_position(registration: Registration) -> int | None:
    """1 for the first on the waiting list; None when not waiting."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    return waiting_list(registration.training).index(registration) + 1


# Registering ---------------------------------------------------------------------------------


def _check_participant(participant: Participant) -> Sector:
    organisation = participant.organisation.strip()
    if not organisation:
        raise ValidationError(str(_l("Give the organisation you work for.")), "organisation")
    if len(organisation) > ORGANISATION_MAX:
        raise ValidationError(
            str(_l("Use at most %(max)d characters.", max=ORGANISATION_MAX)), "organisation"
        )
    if participant.sector not in set(Sector):
        raise ValidationError(
            str(_l("Choose public, private, academia or other as the sector.")), "sector"
        )
    return Sector(participant.sector)


def _check_open(training: Training) -> None:
    if training.is_cancelled:
        raise ValidationError(str(_l("This training has been cancelled.")))
    if utcnow() >= training.registration_closes_at:
        raise ValidationError(
            str(
                _l(
                    "Registration closed on %(date)s.",
                    date=show_datetime(training.registration_closes_at),
                )
            )
        )


def require_may_register(person: User, training: Training) -> None:
    if not access.can_register_for_training(person, training):
        raise Forbidden(str(_l("You may not register for this training.")))


def register(
    session: Session, actor: User, training: Training, person: User, participant: Participant
) -> Registration:
    """Give the person a seat, or a place on the waiting list when the training is full."""
    if actor.id == person.id:
        require_may_register(person, training)
    elif not access.can_register_person(actor, training, person):
        raise Forbidden(str(_l("You may not register this person for this training.")))
    sector = _check_participant(participant)
    _check_open(training)
    training = lock_training(session, training.id)
    _check_open(training)
    registration = next((r for r in training.registrations if r.user_id == person.id), None)
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        raise Conflict(str(_l("%(name)s is already registered.", name=person.name)))
    if registration is None:
        registration = Registration(training=training, user=person)
        session.add(registration)
    taken, _ = seat_counts(training)
    now = utcnow()
    training.registrations_taken += 1
    registration.queue_number = training.registrations_taken
    registration.organisation = participant.organisation.strip()
    registration.sector = sector
    registration.registered_by_id = actor.id
    registration.created_at = registration.updated_at = now
    registration.cancelled_at = registration.promoted_at = None
    if taken < training.capacity:
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
    else:
        registration.status = RegistrationStatus.WAITLISTED
        registration.confirmed_at = None
    session.flush()
    if registration.status == RegistrationStatus.CONFIRMED:
        notify.registration_confirmed(session, registration)
    else:
        notify.registration_waitlisted(session, registration, waiting_position(registration))
    record(
        session,
        "training.registered",
        actor=actor,
        object_type="training",
        object_id=training.id,
        person=person.id,
        status=registration.status.value,
    )
    return registration


def get_registration(training: Training, registration_id: int) -> Registration:
    registration = next((r for r in training.registrations if r.id == registration_id), None)
    if registration is None:
        raise NotFound()
    return registration


def require_may_cancel(actor: User, registration: Registration) -> None:
    if not access.can_cancel_registration(actor, registration):
        raise Forbidden(str(_l("You may not cancel this registration.")))


def cancel_registration(session: Session, actor: User, registration: Registration) -> None:
    """Give up a seat or a place; a freed seat goes to the first on the waiting list."""
    require_may_cancel(actor, registration)
    training = lock_training(session, registration.training_id)
    registration = get_registration(training, registration.id)
    if registration.status == RegistrationStatus.CANCELLED:
        return
    past_events.require_registration_cancellable(training)
    had_seat = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = registration.updated_at = utcnow()
    notify.registration_cancelled(session, registration)
    if had_seat:
        fill_free_seats(session, training)
    record(
        session,
        "training.registration_cancelled",
        actor=actor,
        object_type="training",
        object_id=training.id,
        person=registration.user_id,
    )


def fill_free_seats(session: Session, training: Training) -> list[Registration]:
    """Promote the first on the waiting list into each free seat, and tell them (once: only
    a waiting registration is promoted, and it then holds a seat).

    Nobody is promoted once the session has started or when it is cancelled: a seat freed
    during the session is no use to anyone. The caller holds the training's row lock.
    """
    promoted = _next_in_line(training)
    now = utcnow()
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = registration.promoted_at = registration.updated_at = now
        notify.registration_promoted(session, registration)
        record(
            session,
            "training.promoted",
            object_type="training",
            object_id=training.id,
            person=registration.user_id,
        )
    return promoted


def _next_in_line(training: Training, freed: int = 0) -> list[Registration]:
    """The waiting registrations that take the free seats (and `freed` more)."""
    if training.is_cancelled or past_events.has_started(training):
        return []
    taken, _ = seat_counts(training)
    return waiting_list(training)[: max(0, training.capacity - taken + freed)]


def cancellation_recipients(registration: Registration) -> list[User]:
    """Who cancel_registration(registration) mails: its holder, and whoever it promotes from
    the waiting list into the freed seat (only active accounts are mailed)."""
    had_seat = registration.status == RegistrationStatus.CONFIRMED
    promoted = _next_in_line(registration.training, freed=1) if had_seat else []
    people = [registration.user, *(r.user for r in promoted)]
    return [person for person in people if person.is_active]


# Attendance ----------------------------------------------------------------------------------


def roster(training: Training) -> list[Registration]:
    """Seats first, then the waiting list in order, then the cancelled."""
    rank = {
        RegistrationStatus.CONFIRMED: 0,
        RegistrationStatus.WAITLISTED: 1,
        RegistrationStatus.CANCELLED: 2,
    }
    return sorted(training.registrations, key=lambda r: (rank[r.status], r.queue_number))


def record_attendance(
    session: Session,
    actor: User,
    training: Training,
    marks: dict[int, AttendanceMark | None],
) -> int:
    """Record present, absent or partial for people with a seat; return how many changed."""
    if not access.can_manage_training(actor, training):
        raise Forbidden(str(_l("Only the coordinators of the MoU's parties record attendance.")))
    if training.is_cancelled:
        raise ValidationError(str(_l("This training has been cancelled.")))
    if not past_events.has_started(training):
        raise ValidationError(str(_l("Attendance can be recorded once the training has started.")))
    seated = {r.id: r for r in training.registrations if r.status == RegistrationStatus.CONFIRMED}
    unknown = set(marks) - set(seated)
    if unknown:
        raise ValidationError(str(_l("Record attendance only for people with a seat.")))
    changed = 0
    now = utcnow()
    for registration_id, mark in marks.items():
        registration = seated[registration_id]
        if registration.attendance != mark:
            registration.attendance = mark
            registration.attendance_recorded_at = now
            changed += 1
    if changed:
        record(
            session,
            "training.attendance_recorded",
            actor=actor,
            object_type="training",
            object_id=training.id,
            changed=changed,
        )
    return changed

"""Creating, changing and cancelling training sessions, and reading them as a given person."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import case, select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.accounts.models import User
from portal.audit.services import record
from portal.calendar.ics import new_uid
from portal.calendar.localtime import local_instant
from portal.core import past_events
from portal.core.db import utcnow
from portal.core.errors import Denied, Forbidden, NotVisible, ValidationError
from portal.core.markdown import render_markdown
from portal.core.timezones import is_valid_timezone
from portal.mous.models import Mou
from portal.trainings import access
from portal.trainings import notifications as notify
from portal.trainings.models import (
    Audience,
    Registration,
    RegistrationStatus,
    Training,
    TrainingFormat,
    TrainingLanguage,
    TrainingStatus,
)
from portal.trainings.registrations import counted_seats, fill_free_seats, lock_training
from portal.web.pagination import Page, paginate

MAX_DURATION = timedelta(days=14)
MAX_CAPACITY = 10_000
ROSTER_PAGE_SIZE = 50


@dataclass(frozen=True)
class TrainingDetails:
    title_en: str
    title_es: str
    description_md_en: str
    description_md_es: str
    audience: Audience
    format: TrainingFormat
    venue: str
    link: str
    start_local: datetime  # naive wall-clock times in `timezone`
    end_local: datetime
    registration_closes_local: datetime
    timezone: str
    language: TrainingLanguage
    trainers: str
    capacity: int
    allow_external: bool
    working_group_id: int | None = None
    # Which of two equal local times is meant, on the day the clocks go back.
    start_fold: int | None = None
    end_fold: int | None = None


def require_manager(actor: User, mou: Mou) -> None:
    if not access.can_manage_trainings(actor, mou):
        raise Forbidden(str(_l("Only the coordinators of the MoU's parties manage trainings.")))


# Reading -----------------------------------------------------------------------------------


def get_training(
    session: Session, actor: User, training_id: int, *, registrations: bool = True
) -> Training:
    """The training as `actor` may see it; 404 alike for a missing and a hidden one, after
    the same one query. Without `registrations` they are not read with it (they are read
    when asked for)."""
    loading = [
        selectinload(Training.mou).selectinload(Mou.parties),
        selectinload(Training.invitations),
    ]
    if registrations:
        loading.append(selectinload(Training.registrations))
    training = session.scalar(
        select(Training)
        .where(Training.id == training_id, access.visible_trainings_clause(actor))
        .options(*loading)
    )
    if training is None:
        raise NotVisible("training", training_id, Training)
    if not access.can_view_training(actor, training):
        raise Denied("training", training_id)
    return training


def get_managed_training(
    session: Session, actor: User, training_id: int, *, registrations: bool = True
) -> Training:
    """The training, for its managers only (404 to those who may not see it, 403 to readers)."""
    training = get_training(session, actor, training_id, registrations=registrations)
    require_manager(actor, training.mou)
    return training


def roster_page(session: Session, training: Training, *, page: int) -> Page:
    """The training's registrations: seats, then the waiting list in order, then the cancelled.

    The caller has checked that the reader manages the training.
    """
    rank = case(
        (Registration.status == RegistrationStatus.CONFIRMED, 0),
        (Registration.status == RegistrationStatus.WAITLISTED, 1),
        else_=2,
    )
    query = (
        select(Registration)
        .where(Registration.training_id == training.id)
        .options(joinedload(Registration.user))
        .order_by(rank, Registration.queue_number)
    )
    return paginate(session, query, page=page, per_page=ROSTER_PAGE_SIZE)


def registration_of(training: Training, person: User) -> Registration | None:
    return next((r for r in training.registrations if r.user_id == person.id), None)


# Times -------------------------------------------------------------------------------------


def training_instants(details: TrainingDetails) -> tuple[datetime, datetime, datetime]:
    """Start, end and registration deadline as UTC instants, checked against each other.

    AmbiguousLocalTime propagates so the form can ask which of two equal times is meant.
    """
    zone = details.timezone
    if not is_valid_timezone(zone):
        raise ValidationError(str(_l("Choose a time zone from the list.")), field="timezone")
    starts_at = local_instant(details.start_local, zone, details.start_fold, "start_local")
    ends_at = local_instant(details.end_local, zone, details.end_fold, "end_local")
    # A deadline in the repeated hour is taken as its first occurrence: the earlier close.
    closes = details.registration_closes_local
    closes_at = local_instant(closes, zone, 0, "registration_closes_local")
    if ends_at <= starts_at:
        raise ValidationError(str(_l("The training must end after it starts.")), field="end_local")
    if ends_at - starts_at > MAX_DURATION:
        raise ValidationError(str(_l("A training lasts at most 14 days.")), field="end_local")
    if closes_at > starts_at:
        raise ValidationError(
            str(_l("Registration must close before the training starts.")),
            field="registration_closes_local",
        )
    return starts_at, ends_at, closes_at


def _check_details(details: TrainingDetails, mou: Mou) -> None:
    if not 1 <= details.capacity <= MAX_CAPACITY:
        raise ValidationError(
            str(_l("Enter a capacity from 1 to %(max)d.", max=MAX_CAPACITY)), field="capacity"
        )
    if details.working_group_id is not None and details.working_group_id not in {
        g.id for g in mou.working_groups
    }:
        raise ValidationError(
            str(_l("Choose a working group of this MoU, or none.")), field="working_group_id"
        )
    if details.format != TrainingFormat.ONLINE and not details.venue:
        raise ValidationError(
            str(_l("Give the venue of a training held in person.")), field="venue"
        )
    if details.format != TrainingFormat.IN_PERSON and not details.link:
        raise ValidationError(str(_l("Give the link of a training held online.")), field="link")


def _apply(training: Training, details: TrainingDetails, instants) -> bool:
    """Copy the details onto the training; return whether anything a calendar shows changed."""
    starts_at, ends_at, closes_at = instants
    new = {
        "title_en": details.title_en.strip(),
        "title_es": details.title_es.strip(),
        "description_md_en": details.description_md_en,
        "description_md_es": details.description_md_es,
        "audience": details.audience,
        "format": details.format,
        "venue": details.venue,
        "link": details.link,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "registration_closes_at": closes_at,
        "timezone": details.timezone,
        "language": details.language,
        "trainers": details.trainers,
        "capacity": details.capacity,
        "allow_external": details.allow_external,
        "working_group_id": details.working_group_id,
    }
    shown = ("title_en", "title_es", "description_md_en", "description_md_es", "venue", "link")
    calendar_changed = any(
        getattr(training, name) != new[name] for name in (*shown, "starts_at", "ends_at")
    )
    for name, value in new.items():
        setattr(training, name, value)
    training.description_html_en = render_markdown(details.description_md_en)
    training.description_html_es = render_markdown(details.description_md_es)
    training.updated_at = utcnow()
    return calendar_changed


# Changing ----------------------------------------------------------------------------------


def create_training(
    session: Session, actor: User, mou: Mou, details: TrainingDetails, *, record_past: bool = False
) -> Training:
    """A new training; one starting in the past only when `record_past` confirms it."""
    require_manager(actor, mou)
    _check_details(details, mou)
    instants = training_instants(details)
    if past_events.is_in_the_past(instants[0]) and not record_past:
        raise ValidationError(
            str(
                _l(
                    "This start is in the past. To record a past training, tick the box: "
                    "nobody will be told."
                )
            ),
            field="record_past",
        )
    training = Training(mou=mou, uid=new_uid(), sequence=0, organiser_id=actor.id)
    _apply(training, details, instants)
    session.add(training)
    session.flush()
    record(session, "training.created", actor=actor, object_type="training", object_id=training.id)
    return training


def update_training(
    session: Session, actor: User, training: Training, details: TrainingDetails
) -> None:
    """Change a training; the registered are told when what their calendar shows changed."""
    require_manager(actor, training.mou)
    if training.is_cancelled:
        raise ValidationError(str(_l("A cancelled training cannot be changed.")))
    _check_details(details, training.mou)
    instants = training_instants(details)
    training = lock_training(session, training.id, registrations=False)
    taken, waiting = counted_seats(session, training)
    if details.capacity < taken:
        raise ValidationError(
            str(
                lazy_ngettext(
                    "%(num)d person already has a seat: the capacity cannot be lower.",
                    "%(num)d people already have a seat: the capacity cannot be lower.",
                    taken,
                )
            ),
            field="capacity",
        )
    if _apply(training, details, instants):
        training.sequence += 1
        notify.training_changed(session, training)
    if waiting and training.capacity > taken:  # else nobody is promoted: no need to read them
        fill_free_seats(session, training)
    record(session, "training.changed", actor=actor, object_type="training", object_id=training.id)


def cancellation_recipients(training: Training) -> list[User]:
    """Who cancel_training mails: everyone with a seat or on the waiting list (active)."""
    return [person for person in notify.holding_places(training) if person.is_active]


def cancel_training(session: Session, actor: User, training: Training) -> None:
    """Cancel the session; everyone with a seat or on the waiting list is told (CANCEL)."""
    require_manager(actor, training.mou)
    if training.is_cancelled:
        return
    past_events.require_training_cancellable(training)
    training.status = TrainingStatus.CANCELLED
    training.cancelled_at = utcnow()
    training.sequence += 1
    notify.training_cancelled(session, training)
    record(
        session, "training.cancelled", actor=actor, object_type="training", object_id=training.id
    )

"""Reading trainings as a given person, for the dashboard."""

from datetime import timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.core.db import utcnow
from portal.trainings import access
from portal.trainings.models import Registration, RegistrationStatus, Training, TrainingStatus
from portal.web.attention import Waiting, count_with_first
from portal.web.pagination import Preview, preview


def next_trainings(session: Session, reader: User) -> Preview:
    """Trainings not yet over where the reader has a seat or is waiting, soonest first; each
    with the reader's registration."""
    query = (
        select(Training, Registration.status)
        .join(Registration, Registration.training_id == Training.id)
        .where(
            Registration.user_id == reader.id,
            Registration.status.in_((RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)),
            Training.ends_at >= utcnow(),
            Training.status != TrainingStatus.CANCELLED,
            access.visible_trainings_clause(reader),
        )
        .order_by(Training.starts_at)
    )
    return preview(session, query, rows=True)


# What waits for the reader (the dashboard's "Needs your attention") ---------------------------

# "Closes soon": registration ends within the week.
CLOSING_SOON = timedelta(days=7)


def registration_closing_soon(session: Session, reader: User) -> Waiting:
    """Trainings not cancelled the reader may register for and has not, whose registration
    closes within CLOSING_SOON (full ones too: a seat may still come from the waiting list);
    the first is the one closing soonest."""
    now = utcnow()
    registered = exists().where(
        Registration.training_id == Training.id,
        Registration.user_id == reader.id,
        Registration.status != RegistrationStatus.CANCELLED,
    )
    statement = (
        select(Training.id)
        .where(
            Training.status != TrainingStatus.CANCELLED,
            Training.registration_closes_at > now,
            Training.registration_closes_at <= now + CLOSING_SOON,
            ~registered,
            access.may_register_clause(reader),
        )
        .order_by(Training.registration_closes_at, Training.id)
    )
    return count_with_first(session, statement)


def upcoming_mou_trainings(
    session: Session, reader: User, mou_id: int, *, limit: int = 5
) -> list[Training]:
    """The MoU's and its groups' pages: its trainings not yet over and not cancelled that the
    reader may see, soonest first."""
    query = (
        select(Training)
        .where(
            Training.mou_id == mou_id,
            Training.ends_at >= utcnow(),
            Training.status != TrainingStatus.CANCELLED,
            access.visible_trainings_clause(reader),
        )
        .order_by(Training.starts_at)
        .limit(limit)
    )
    return list(session.scalars(query))

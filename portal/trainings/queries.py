"""Reading trainings as a given person, for the dashboard and the MoU and group pages."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.core.db import utcnow
from portal.trainings import access
from portal.trainings.models import Registration, RegistrationStatus, Training, TrainingStatus
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

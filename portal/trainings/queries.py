"""Reading trainings as a given person: the list, and the dashboard's panels."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.core.db import utcnow
from portal.mous.models import Mou
from portal.trainings import access
from portal.trainings.models import Registration, RegistrationStatus, Training, TrainingStatus
from portal.web.attention import Waiting, count_with_first
from portal.web.pagination import DEFAULT_PAGE_SIZE, Page, Preview, preview


@dataclass(frozen=True)
class MouTitle:
    title_en: str
    title_es: str


@dataclass(frozen=True)
class TrainingLine:
    """What a line of the list shows of a training (read as one row, compared as a key)."""

    id: int
    title_en: str
    title_es: str
    status: TrainingStatus
    format: str
    audience: str
    starts_at: datetime
    ends_at: datetime
    mou: MouTitle

    @property
    def is_cancelled(self) -> bool:
        return self.status == TrainingStatus.CANCELLED


def list_trainings(session: Session, actor: User, *, past: bool, page: int) -> Page:
    """Upcoming trainings (soonest first, until they are over) or past ones (latest first),
    paged, as the lines the list shows: one statement for the lines, one for the count."""
    now = utcnow()
    visible = access.visible_trainings_clause(actor)
    if past:
        when = Training.ends_at <= now
        order = (Training.starts_at.desc(), Training.id.desc())
    else:
        when = Training.ends_at > now
        order = (Training.starts_at, Training.id)
    page = max(1, page)
    per_page = current_app.config.get("PAGE_SIZE", DEFAULT_PAGE_SIZE)
    total = session.scalar(select(func.count(Training.id)).where(visible, when)) or 0
    rows = session.execute(
        select(
            Training.id,
            Training.title_en,
            Training.title_es,
            Training.status,
            Training.format,
            Training.audience,
            Training.starts_at,
            Training.ends_at,
            Mou.title_en,
            Mou.title_es,
        )
        .join(Mou, Mou.id == Training.mou_id)
        .where(visible, when)
        .order_by(*order)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    lines = [TrainingLine(*row[:8], mou=MouTitle(*row[8:])) for row in rows]
    return Page(items=lines, page=page, per_page=per_page, total=total)


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


def upcoming_mou_trainings(session: Session, reader: User, mou_id: int, *, limit: int = 5) -> tuple:
    """The MoU's and its groups' pages: its trainings not yet over and not cancelled that the
    reader may see, soonest first, as rows of what they show."""
    query = (
        select(Training.id, Training.title_en, Training.title_es, Training.starts_at)
        .where(
            Training.mou_id == mou_id,
            Training.ends_at >= utcnow(),
            Training.status != TrainingStatus.CANCELLED,
            access.visible_trainings_clause(reader),
        )
        .order_by(Training.starts_at)
        .limit(limit)
    )
    return tuple(session.execute(query))

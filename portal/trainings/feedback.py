"""The feedback survey: once the session has ended, each person marked present or partial
gives one rating (1 to 5) and comments; the training's managers read the aggregate."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Text, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, joinedload, mapped_column, relationship

from portal.accounts.models import User
from portal.core import past_events
from portal.core.db import UTCDateTime, utcnow
from portal.core.errors import Forbidden, ValidationError
from portal.core.extensions import db
from portal.trainings import access
from portal.trainings.models import Registration, Training
from portal.web.pagination import Page, paginate

RATINGS = (1, 2, 3, 4, 5)
COMMENTS_MAX_LENGTH = 4000
COMMENTS_PAGE_SIZE = 20


class TrainingFeedback(db.Model):
    __tablename__ = "training_feedback"
    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # One per seat: a second answer is refused by the form and, in a race, by this constraint.
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("training_registrations.id", ondelete="CASCADE"), unique=True
    )
    rating: Mapped[int]
    comments: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    registration: Mapped[Registration] = relationship()


def attendee_registration(training: Training, actor: User) -> Registration | None:
    """The actor's seat if they may give feedback on it (present or partial)."""
    registration = next((r for r in training.registrations if r.user_id == actor.id), None)
    if registration is None or not access.can_give_feedback(actor, registration):
        return None
    return registration


def feedback_of(session: Session, registration: Registration | None) -> TrainingFeedback | None:
    if registration is None:
        return None
    return session.scalar(
        select(TrainingFeedback).where(TrainingFeedback.registration_id == registration.id)
    )


ALREADY_GIVEN = _l("You have already given your feedback on this training; it cannot be changed.")


def submit_feedback(
    session: Session, actor: User, training: Training, rating: int, comments: str
) -> TrainingFeedback:
    registration = attendee_registration(training, actor)
    if registration is None:
        raise Forbidden(str(_l("Only the people who attended the training give feedback on it.")))
    if training.is_cancelled:
        raise ValidationError(str(_l("This training has been cancelled.")))
    if not past_events.is_over(training):
        raise ValidationError(str(_l("Feedback opens once the training has ended.")))
    if rating not in RATINGS:
        raise ValidationError(str(_l("Choose a rating from 1 to 5.")), field="rating")
    if len(comments) > COMMENTS_MAX_LENGTH:
        raise ValidationError(str(_l("Use at most %(max)d characters.", max=4000)), "comments")
    if feedback_of(session, registration) is not None:
        raise ValidationError(str(ALREADY_GIVEN))
    feedback = TrainingFeedback(registration=registration, rating=rating, comments=comments)
    try:
        with session.begin_nested():
            session.add(feedback)
    except IntegrityError:
        raise ValidationError(str(ALREADY_GIVEN)) from None
    return feedback


@dataclass(frozen=True)
class FeedbackSummary:
    count: int
    average: float | None
    distribution: dict[int, int]  # rating -> how many gave it

    def share(self, rating: int) -> int:
        """Percent of the answers that gave this rating."""
        return round(100 * self.distribution[rating] / self.count) if self.count else 0


def feedback_summary(session: Session, training: Training) -> FeedbackSummary:
    """Count, average and distribution, by one aggregate query."""
    rows = session.execute(
        select(TrainingFeedback.rating, func.count())
        .join(TrainingFeedback.registration)
        .where(Registration.training_id == training.id)
        .group_by(TrainingFeedback.rating)
    )
    distribution = dict.fromkeys(RATINGS, 0)
    for rating, count in rows:
        distribution[rating] = count
    count = sum(distribution.values())
    total = sum(rating * n for rating, n in distribution.items())
    return FeedbackSummary(count, round(total / count, 2) if count else None, distribution)


def comments_page(session: Session, training: Training, *, page: int) -> Page:
    """The comments given, newest first, without their authors' names (the survey is for
    the session, not a judgement of people)."""
    query = (
        select(TrainingFeedback)
        .join(TrainingFeedback.registration)
        .where(Registration.training_id == training.id, TrainingFeedback.comments != "")
        .options(joinedload(TrainingFeedback.registration))
        .order_by(TrainingFeedback.submitted_at.desc(), TrainingFeedback.id.desc())
    )
    return paginate(session, query, page=page, per_page=COMMENTS_PAGE_SIZE)

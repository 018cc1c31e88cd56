"""Certificates of attendance: issued to the people marked present, each with a verification
code anyone may check on the public verification page.

Only "present" earns a certificate: it states the session's hours, which a person marked
"partial" did not attend, and the roster records no hours per person. Partial attendees are
still asked for feedback (portal/trainings/feedback.py).
"""

import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, select, update
from sqlalchemy.orm import Mapped, Session, joinedload, mapped_column, relationship

from portal.accounts.models import User
from portal.audit.services import record
from portal.core import past_events
from portal.core.db import UTCDateTime, utcnow
from portal.core.errors import Denied, Forbidden, NotFound, ValidationError
from portal.core.extensions import db
from portal.core.reminder_log import record_reminder, sent_keys
from portal.trainings import access
from portal.trainings import notifications as notify
from portal.trainings.models import Registration, RegistrationStatus, Training
from portal.web.pagination import Page, paginate

# 20 symbols from 32 unambiguous ones (no 0/O, 1/I): 100 random bits, read out in groups of 5.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 20
CODE_GROUP = 5
FEEDBACK_REQUEST_JOB = "training_feedback_request"
CERTIFICATES_PAGE_SIZE = 50


class Certificate(db.Model):
    """One person's certificate of attendance; the public may ask about its code, nothing else."""

    __tablename__ = "training_certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("training_registrations.id", ondelete="CASCADE"), unique=True
    )
    code: Mapped[str] = mapped_column(String(CODE_LENGTH), unique=True)
    language: Mapped[str] = mapped_column(String(2))  # the participant's, when issued
    minutes: Mapped[int]  # hours attended, fixed when issued
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    registration: Mapped[Registration] = relationship()

    @property
    def display_code(self) -> str:
        return display_code(self.code)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def display_code(code: str) -> str:
    return "-".join(code[i : i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


def normalize_code(text: str | None) -> str | None:
    """The stored form of a typed code (any case, spaces and dashes ignored), or None."""
    if not text or len(text) > 64:
        return None
    code = "".join(ch for ch in text.upper() if ch not in " -")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def session_minutes(training: Training) -> int:
    return int((training.ends_at - training.starts_at).total_seconds() // 60)


# Issuing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssueResult:
    certificates: int
    feedback_requests: int


def _lock(session: Session, training: Training) -> None:
    """Two coordinators issuing at once wait for each other: one certificate per person."""
    session.execute(
        update(Training).where(Training.id == training.id).values(updated_at=Training.updated_at)
    )


def issue_certificates(session: Session, actor: User, training: Training) -> IssueResult:
    """Certificates for everyone marked present who has none yet, and the feedback request to
    everyone marked present or partial who was not asked yet; each mailed once."""
    if not access.can_issue_certificates(actor, training):
        raise Forbidden(str(_l("Only the coordinators of the MoU's parties issue certificates.")))
    if training.is_cancelled:
        raise ValidationError(str(_l("This training has been cancelled.")))
    if not past_events.is_over(training):
        raise ValidationError(str(_l("Certificates can be issued once the training has ended.")))
    _lock(session, training)
    attended = _attended(session, training)
    certified = set(
        session.scalars(
            select(Certificate.registration_id).where(
                Certificate.registration_id.in_([r.id for r in attended])
            )
        )
    )
    issued = 0
    for registration in attended:
        if registration.attendance in access.CERTIFIED_ATTENDANCE and (
            registration.id not in certified
        ):
            certificate = _issue(session, actor, registration)
            notify.certificate_available(session, certificate)
            issued += 1
    asked = _request_feedback(session, training, attended)
    record(
        session,
        "training.certificates_issued",
        actor=actor,
        object_type="training",
        object_id=training.id,
        issued=issued,
        feedback_requests=asked,
    )
    return IssueResult(issued, asked)


def _attended(session: Session, training: Training) -> list[Registration]:
    return list(
        session.scalars(
            select(Registration)
            .where(
                Registration.training_id == training.id,
                Registration.status == RegistrationStatus.CONFIRMED,
                Registration.attendance.in_(access.FEEDBACK_ATTENDANCE),
            )
            .options(joinedload(Registration.user))
            .order_by(Registration.queue_number)
        )
    )


def _issue(session: Session, actor: User, registration: Registration) -> Certificate:
    certificate = Certificate(
        registration=registration,
        code=new_code(),
        language=registration.user.language,
        minutes=session_minutes(registration.training),
        issued_by_id=actor.id,
        issued_at=utcnow(),
    )
    session.add(certificate)
    return certificate


def _request_feedback(session: Session, training: Training, attended: list[Registration]) -> int:
    asked = {key[0] for key in sent_keys(session, FEEDBACK_REQUEST_JOB, [r.id for r in attended])}
    count = 0
    for registration in attended:
        if registration.id in asked:
            continue
        notify.feedback_requested(session, registration)
        record_reminder(
            session, FEEDBACK_REQUEST_JOB, registration.id, registration.user_id, "once"
        )
        count += 1
    return count


# Reading ---------------------------------------------------------------------------------


def certificates_page(session: Session, training: Training, *, page: int) -> Page:
    """The training's certificates, for its managers (the caller has checked)."""
    query = (
        select(Certificate)
        .join(Certificate.registration)
        .where(Registration.training_id == training.id)
        .options(joinedload(Certificate.registration).joinedload(Registration.user))
        .order_by(Registration.queue_number)
    )
    return paginate(session, query, page=page, per_page=CERTIFICATES_PAGE_SIZE)


def own_certificate(session: Session, actor: User, training: Training) -> Certificate | None:
    return session.scalar(
        select(Certificate)
        .join(Certificate.registration)
        .where(Registration.training_id == training.id, Registration.user_id == actor.id)
    )


def certificate_to_download(
    session: Session, actor: User, training: Training, certificate_id: int
) -> Certificate:
    """The certificate if the actor may have it; 404 alike for a missing and a hidden one."""
    certificate = session.scalar(
        select(Certificate)
        .join(Certificate.registration)
        .where(Certificate.id == certificate_id, Registration.training_id == training.id)
        .options(joinedload(Certificate.registration).joinedload(Registration.user))
    )
    if certificate is None:
        raise NotFound()
    if not access.can_download_certificate(actor, certificate.registration):
        raise Denied("training_certificate", certificate_id)
    return certificate


@dataclass(frozen=True)
class Verification:
    participant: str
    training: Training


def verify(session: Session, typed_code: str | None) -> Verification | None:
    """Who holds the certificate with this code, or None: the same None for any wrong code."""
    code = normalize_code(typed_code)
    if code is None:
        return None
    certificate = session.scalar(
        select(Certificate)
        .where(Certificate.code == code)
        .options(joinedload(Certificate.registration).joinedload(Registration.user))
    )
    if certificate is None:
        return None
    registration = certificate.registration
    return Verification(registration.user.name, registration.training)

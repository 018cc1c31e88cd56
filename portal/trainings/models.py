"""Training sessions under an MoU: registrations, the waiting list, attendance, materials."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User, enum_column
from portal.core.db import UTCDateTime, utcnow
from portal.core.extensions import db
from portal.core.search import entry_index, keep_terms
from portal.documents.models import Document
from portal.mous.models import Mou, WorkingGroup


class Audience(StrEnum):
    PUBLIC = "public"
    PRIVATE = "private"
    BOTH = "both"


class TrainingFormat(StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    HYBRID = "hybrid"


class TrainingLanguage(StrEnum):
    SPANISH = "es"
    ENGLISH = "en"
    BOTH = "both"


class TrainingStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class Sector(StrEnum):
    PUBLIC = "public"
    PRIVATE = "private"
    ACADEMIA = "academia"
    OTHER = "other"


class RegistrationStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class AttendanceMark(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    PARTIAL = "partial"


# Documents given to the participants; each reader sees only those the TLP rule lets them open.
training_materials = Table(
    "training_materials",
    db.metadata,
    Column("training_id", ForeignKey("trainings.id", ondelete="CASCADE"), primary_key=True),
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_training_materials_document_id", "document_id"),
)


class Training(db.Model):
    __tablename__ = "trainings"
    __table_args__ = (Index("ix_trainings_mou_start", "mou_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mou_id: Mapped[int] = mapped_column(ForeignKey("mous.id"))
    working_group_id: Mapped[int | None] = mapped_column(
        ForeignKey("working_groups.id"), index=True
    )
    # The iCalendar UID of the session, kept forever; SEQUENCE rises with each change sent.
    uid: Mapped[str] = mapped_column(String(120), unique=True)
    sequence: Mapped[int] = mapped_column(default=0)
    title_en: Mapped[str] = mapped_column(String(300))
    title_es: Mapped[str] = mapped_column(String(300))
    description_md_en: Mapped[str] = mapped_column(Text, default="")
    description_md_es: Mapped[str] = mapped_column(Text, default="")
    description_html_en: Mapped[str] = mapped_column(Text, default="")
    description_html_es: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[Audience] = mapped_column(enum_column(Audience, "training_audience"))
    format: Mapped[TrainingFormat] = mapped_column(enum_column(TrainingFormat, "training_format"))
    venue: Mapped[str] = mapped_column(String(300), default="")
    link: Mapped[str] = mapped_column(String(500), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64))  # the organiser's IANA zone
    language: Mapped[TrainingLanguage] = mapped_column(
        enum_column(TrainingLanguage, "training_language")
    )
    trainers: Mapped[str] = mapped_column(String(500), default="")
    capacity: Mapped[int]
    registration_closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    allow_external: Mapped[bool] = mapped_column(default=False)
    status: Mapped[TrainingStatus] = mapped_column(
        enum_column(TrainingStatus, "training_status"), default=TrainingStatus.SCHEDULED
    )
    # Registrations ever taken: each new one gets the next number, its place in the queue.
    # Raised only under the training's row lock, so the order is the order seats were asked.
    registrations_taken: Mapped[int] = mapped_column(default=0)
    organiser_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    mou: Mapped[Mou] = relationship()
    working_group: Mapped[WorkingGroup | None] = relationship()
    organiser: Mapped[User | None] = relationship()
    registrations: Mapped[list["Registration"]] = relationship(
        back_populates="training",
        cascade="all, delete-orphan",
        order_by="Registration.queue_number",
    )
    invitations: Mapped[list["TrainingInvitation"]] = relationship(
        back_populates="training", cascade="all, delete-orphan"
    )
    materials: Mapped[list[Document]] = relationship(
        secondary=training_materials, order_by=Document.title
    )

    @property
    def is_cancelled(self) -> bool:
        return self.status == TrainingStatus.CANCELLED

    @property
    def clock_zones(self) -> list[str]:
        """The zones a training is shown in: the organiser's, then each party's."""
        return [self.timezone, *(p.timezone for p in self.mou.parties)]


class Registration(db.Model):
    """One person's place in a training: a seat, a place on the waiting list, or cancelled."""

    __tablename__ = "training_registrations"
    __table_args__ = (
        UniqueConstraint("training_id", "user_id", name="uq_training_registrations_person"),
        UniqueConstraint("training_id", "queue_number", name="uq_training_registrations_queue"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(ForeignKey("trainings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    organisation: Mapped[str] = mapped_column(String(200))
    sector: Mapped[Sector] = mapped_column(enum_column(Sector, "training_sector"))
    status: Mapped[RegistrationStatus] = mapped_column(
        enum_column(RegistrationStatus, "registration_status")
    )
    # The order seats were asked for: the waiting list is served lowest number first.
    queue_number: Mapped[int]
    attendance: Mapped[AttendanceMark | None] = mapped_column(
        enum_column(AttendanceMark, "training_attendance")
    )
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attendance_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    training: Mapped[Training] = relationship(back_populates="registrations")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    registered_by: Mapped[User | None] = relationship(foreign_keys=[registered_by_id])


class TrainingInvitation(db.Model):
    """An external participant invited to one training, by address (their account may not
    exist yet); they see the trainings they were invited to or registered for, nothing else."""

    __tablename__ = "training_invitations"
    __table_args__ = (UniqueConstraint("training_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(ForeignKey("trainings.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254), index=True)  # lower-case, as User.email
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    training: Mapped[Training] = relationship(back_populates="invitations")
    invited_by: Mapped[User | None] = relationship()


# Search (portal/core/search.py, portal/trainings/search.py): each training's terms, rewritten
# when its titles, descriptions, trainers or venue change, through a GIN index of their own.
SEARCH_INDEX = entry_index("training")
TRAINING_TERMS = keep_terms(
    Training,
    "training",
    lambda t: "\n".join(
        (t.title_en, t.title_es, t.description_md_en, t.description_md_es, t.trainers, t.venue)
    ),
    ("title_en", "title_es", "description_md_en", "description_md_es", "trainers", "venue"),
)

"""Commitments under an MoU's lines of cooperation: who is responsible, by when, their status,
dated progress notes, what work is linked to them (meetings, action items, documents,
trainings) and their history. Nothing here is ever deleted but a link someone takes back."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import Party, User, enum_column
from portal.actions.models import ActionItem
from portal.core.db import UTCDateTime, utcnow
from portal.core.extensions import db
from portal.core.i18n import localized
from portal.documents.models import Document
from portal.meetings.models import Meeting
from portal.mous.models import LineOfCooperation, Mou
from portal.trainings.models import Training


class CommitmentStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    ACHIEVED = "achieved"
    DROPPED = "dropped"  # with a reason


OPEN_STATUSES = (CommitmentStatus.PLANNED, CommitmentStatus.IN_PROGRESS)

# The parties responsible for a commitment: one or both of its MoU's parties.
commitment_parties = Table(
    "commitment_parties",
    db.metadata,
    Column("commitment_id", ForeignKey("commitments.id"), primary_key=True),
    Column("party_id", ForeignKey("parties.id"), primary_key=True, index=True),
)


class Commitment(db.Model):
    __tablename__ = "commitments"
    __table_args__ = (
        # One MoU's commitments by line and status (its page, the counts, the report).
        Index("ix_commitments_mou_line_status", "mou_id", "line_id", "status"),
        # What is past its target (the coordinators' overview).
        Index("ix_commitments_mou_status_target", "mou_id", "status", "target_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mou_id: Mapped[int] = mapped_column(ForeignKey("mous.id"))
    line_id: Mapped[int] = mapped_column(ForeignKey("lines_of_cooperation.id"), index=True)
    # At least one of the two (the service keeps it so).
    title_en: Mapped[str] = mapped_column(String(300), default="")
    title_es: Mapped[str] = mapped_column(String(300), default="")
    target_on: Mapped[date]
    status: Mapped[CommitmentStatus] = mapped_column(
        enum_column(CommitmentStatus, "commitment_status"), default=CommitmentStatus.PLANNED
    )
    drop_reason: Mapped[str] = mapped_column(String(500), default="")
    # When it was last achieved or dropped; None while it is open (the report's periods).
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    mou: Mapped[Mou] = relationship()
    line: Mapped[LineOfCooperation] = relationship()
    parties: Mapped[list[Party]] = relationship(secondary=commitment_parties, order_by=Party.code)
    created_by: Mapped[User | None] = relationship()
    changes: Mapped[list["CommitmentChange"]] = relationship(
        back_populates="commitment", order_by="CommitmentChange.id"
    )
    notes: Mapped[list["ProgressNote"]] = relationship(
        back_populates="commitment",
        order_by="(ProgressNote.noted_on.desc(), ProgressNote.id.desc())",
    )

    @property
    def title(self) -> str:
        """In the reader's language, else in the other one (one of the two may be empty)."""
        return localized(self, "title") or self.title_es

    def is_overdue(self, today: date) -> bool:
        return self.status in OPEN_STATUSES and self.target_on < today


class CommitmentChange(db.Model):
    """One field of a commitment changed (its status too), by whom and when: its history."""

    __tablename__ = "commitment_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    field: Mapped[str] = mapped_column(String(40))
    before: Mapped[str] = mapped_column(Text, default="")
    after: Mapped[str] = mapped_column(Text, default="")

    commitment: Mapped[Commitment] = relationship(back_populates="changes")
    actor: Mapped[User | None] = relationship()


class ProgressNote(db.Model):
    """A dated note of progress (plain text); notes are added, never changed or deleted."""

    __tablename__ = "commitment_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id"), index=True)
    noted_on: Mapped[date]
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    commitment: Mapped[Commitment] = relationship(back_populates="notes")
    author: Mapped[User | None] = relationship()


class _Link:
    """A piece of work linked to a commitment: who linked it and when."""

    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class MeetingLink(_Link, db.Model):
    __tablename__ = "commitment_meetings"

    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id"), primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), primary_key=True, index=True)
    target: Mapped[Meeting] = relationship()


class ActionLink(_Link, db.Model):
    __tablename__ = "commitment_action_items"

    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id"), primary_key=True)
    action_item_id: Mapped[int] = mapped_column(
        ForeignKey("action_items.id"), primary_key=True, index=True
    )
    target: Mapped[ActionItem] = relationship()


class DocumentLink(_Link, db.Model):
    __tablename__ = "commitment_documents"

    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id"), primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id"), primary_key=True, index=True
    )
    target: Mapped[Document] = relationship()


class TrainingLink(_Link, db.Model):
    __tablename__ = "commitment_trainings"

    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id"), primary_key=True)
    training_id: Mapped[int] = mapped_column(
        ForeignKey("trainings.id"), primary_key=True, index=True
    )
    target: Mapped[Training] = relationship()

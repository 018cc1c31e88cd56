"""Meeting time polls: a coordinator proposes two to six times, the group's members answer."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User, enum_column
from portal.core.db import UTCDateTime, utcnow
from portal.core.extensions import db
from portal.core.tlp import TLP
from portal.meetings.models import Meeting
from portal.mous.models import WorkingGroup

MIN_OPTIONS = 2
MAX_OPTIONS = 6


class PollStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"  # a time was picked and the meeting scheduled
    CANCELLED = "cancelled"


class Answer(StrEnum):
    YES = "yes"
    IF_NEED_BE = "if_need_be"
    NO = "no"


class Poll(db.Model):
    __tablename__ = "polls"

    id: Mapped[int] = mapped_column(primary_key=True)
    working_group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id"), index=True)
    title_en: Mapped[str] = mapped_column(String(300))
    title_es: Mapped[str] = mapped_column(String(300))
    place: Mapped[str] = mapped_column(String(300), default="")
    tlp: Mapped[TLP] = mapped_column(enum_column(TLP, "poll_tlp"), default=TLP.AMBER)
    timezone: Mapped[str] = mapped_column(String(64))
    duration_minutes: Mapped[int]
    # Answers close at the end of this day in `timezone`, i.e. at `expires_at` (UTC).
    expires_on: Mapped[date]
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[PollStatus] = mapped_column(
        enum_column(PollStatus, "poll_status"), default=PollStatus.OPEN
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    # Raised by every change its page's shared part shows (versions.py).
    page_version: Mapped[int] = mapped_column(default=1, server_default="1")

    working_group: Mapped[WorkingGroup] = relationship()
    created_by: Mapped[User | None] = relationship()
    meeting: Mapped[Meeting | None] = relationship()
    options: Mapped[list["PollOption"]] = relationship(
        back_populates="poll",
        order_by="PollOption.starts_at",
        cascade="all, delete-orphan",
    )
    participants: Mapped[list["PollParticipant"]] = relationship(
        back_populates="poll", cascade="all, delete-orphan"
    )

    @property
    def chosen_option(self) -> "PollOption | None":
        return next((o for o in self.options if o.is_chosen), None)

    @property
    def clock_zones(self) -> list[str]:
        """The zones a proposed time is shown in: the poll's, then each party's."""
        return [self.timezone, *(p.timezone for p in self.working_group.mou.parties)]


class PollOption(db.Model):
    """One proposed time."""

    __tablename__ = "poll_options"
    __table_args__ = (UniqueConstraint("poll_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    is_chosen: Mapped[bool] = mapped_column(default=False)

    poll: Mapped[Poll] = relationship(back_populates="options")
    answers: Mapped[list["PollAnswer"]] = relationship(
        back_populates="option", cascade="all, delete-orphan"
    )


class PollParticipant(db.Model):
    """A person asked: the group's members when the poll was made."""

    __tablename__ = "poll_participants"
    __table_args__ = (UniqueConstraint("poll_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    poll: Mapped[Poll] = relationship(back_populates="participants")
    user: Mapped[User] = relationship()


class PollAnswer(db.Model):
    __tablename__ = "poll_answers"
    __table_args__ = (UniqueConstraint("option_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    option_id: Mapped[int] = mapped_column(
        ForeignKey("poll_options.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    answer: Mapped[Answer] = mapped_column(enum_column(Answer, "poll_answer"))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    option: Mapped[PollOption] = relationship(back_populates="answers")
    user: Mapped[User] = relationship()

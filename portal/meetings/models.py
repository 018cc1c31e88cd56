"""Meetings of working groups: series, occurrences, agenda, invitees, minutes, calendar feeds."""

from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship, synonym

from portal.accounts.models import Party, User, enum_column
from portal.core.bilingual import both, columns, either_language
from portal.core.db import UTCDateTime, utcnow
from portal.core.extensions import db
from portal.core.kept import StoredPage
from portal.core.search import entry_index, keep_terms
from portal.core.tlp import TLP
from portal.mous.models import WorkingGroup


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class Reply(StrEnum):
    NEEDS_ACTION = "needs_action"
    ACCEPTED = "accepted"
    TENTATIVE = "tentative"
    DECLINED = "declined"


class Attendance(StrEnum):
    UNKNOWN = "unknown"
    PRESENT = "present"
    ABSENT = "absent"
    PARTIAL = "partial"


class MinutesState(StrEnum):
    DRAFT = "draft"
    CIRCULATED = "circulated"
    APPROVED = "approved"


# Circulated minutes, as the condition of their partial index (migration 0030).
CIRCULATED = text("state = 'circulated'")
AWAITING_REPLY = text("reply = 'needs_action' OR reconfirm")


class MeetingSeries(db.Model):
    """A recurring meeting: an RRULE over the organiser's local wall-clock time."""

    __tablename__ = "meeting_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    working_group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id"), index=True)
    uid: Mapped[str] = mapped_column(String(120), unique=True)
    sequence: Mapped[int] = mapped_column(default=0)
    timezone: Mapped[str] = mapped_column(String(64))
    first_start_local: Mapped[datetime]  # naive: a wall-clock time in `timezone`
    duration_minutes: Mapped[int]
    rrule: Mapped[str] = mapped_column(String(300))  # RFC 5545 RRULE value, without DTSTART
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    meetings: Mapped[list["Meeting"]] = relationship(
        back_populates="series", order_by="Meeting.original_start_local"
    )


class PendingSeriesInvitations(db.Model):
    """A series whose later occurrences still wait for their invitations: the first one's
    invitees, copied by the outbox worker (portal/meetings/pending.py) or by the first write
    that touches the series, whichever comes first."""

    __tablename__ = "pending_series_invitations"

    series_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_series.id", ondelete="CASCADE"), primary_key=True
    )
    # The occurrence whose invitees the later ones get (the series' first, when scheduled).
    first_meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PendingInvitationMails(db.Model):
    """A new meeting (or a series' first occurrence) whose invitation mails are still to be
    written: the outbox worker writes them before it sends anything, or the first write that
    touches the meeting or its series does (portal/meetings/pending.py)."""

    __tablename__ = "pending_invitation_mails"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# The longest a meeting may last (services refuse longer ones); queries rely on it to bound
# "not over yet" by the start too, which the start's index can read.
MAX_DURATION = timedelta(hours=24)


class Meeting(db.Model):
    """One meeting; in a series, one occurrence (moved or cancelled ones keep their origin)."""

    __tablename__ = "meetings"
    __table_args__ = (
        Index("ix_meetings_group_start", "working_group_id", "starts_at"),
        # A group's past or upcoming meetings counted for its list's pager (0028).
        Index("ix_meetings_group_end", "working_group_id", "ends_at"),
        # The meetings overlapping a month: both bounds from one range (0037).
        Index("ix_meetings_start_end", "starts_at", "ends_at"),
        UniqueConstraint("series_id", "original_start_local"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    working_group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id"))
    series_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_series.id"), index=True)
    # The occurrence's start as the series' rule produced it (its RECURRENCE-ID).
    original_start_local: Mapped[datetime | None]
    # True when this occurrence differs from what the series' rule says (moved, retitled...).
    is_exception: Mapped[bool] = mapped_column(default=False)
    uid: Mapped[str] = mapped_column(String(120), index=True)
    sequence: Mapped[int] = mapped_column(default=0)
    title_en: Mapped[str] = mapped_column(String(300))
    title_es: Mapped[str] = mapped_column(String(300))
    description_md_en: Mapped[str] = mapped_column(Text, default="")
    description_md_es: Mapped[str] = mapped_column(Text, default="", server_default="")
    description_html_en: Mapped[str] = mapped_column(Text, default="")
    description_html_es: Mapped[str] = mapped_column(Text, default="", server_default="")
    description_md = either_language("description_md")
    description_html = either_language("description_html")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64))
    place: Mapped[str] = mapped_column(String(300), default="")
    video_url: Mapped[str] = mapped_column(String(500), default="")
    tlp: Mapped[TLP] = mapped_column(enum_column(TLP, "tlp"), default=TLP.AMBER)
    status: Mapped[MeetingStatus] = mapped_column(
        enum_column(MeetingStatus, "meeting_status"), default=MeetingStatus.SCHEDULED
    )
    organiser_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Raised by every change the meeting page shows (portal/meetings/page_cache.py): a stored
    # page of an older version is never served.
    page_version: Mapped[int] = mapped_column(default=1, server_default="1")

    working_group: Mapped[WorkingGroup] = relationship()
    series: Mapped[MeetingSeries | None] = relationship(back_populates="meetings")
    organiser: Mapped[User | None] = relationship()
    agenda: Mapped[list["AgendaItem"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="AgendaItem.position"
    )
    invitees: Mapped[list["Invitee"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )
    minutes: Mapped["Minutes | None"] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def clock_zones(self) -> list[str]:
        """The zones a meeting is shown in: the organiser's, then each party's."""
        return [self.timezone, *(p.timezone for p in self.working_group.mou.parties)]


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    title_en: Mapped[str] = mapped_column(String(300), default="")
    title_es: Mapped[str] = mapped_column(String(300), default="", server_default="")
    title = either_language("title")
    presenter: Mapped[str] = mapped_column(String(200), default="")
    planned_minutes: Mapped[int | None]

    meeting: Mapped[Meeting] = relationship(back_populates="agenda")


class Invitee(db.Model):
    __tablename__ = "meeting_invitees"
    __table_args__ = (
        UniqueConstraint("meeting_id", "user_id"),
        # A person's invitations with their reply from the index alone: the dashboard's next
        # meetings (and every "meetings I am invited to").
        Index("ix_meeting_invitees_user_meeting", "user_id", "meeting_id", "reply"),
        # The invitations still to answer (a few among years of answers): the dashboard's
        # "meetings wait for your reply".
        Index(
            "ix_meeting_invitees_awaiting_reply",
            "user_id",
            "meeting_id",
            postgresql_where=AWAITING_REPLY,
            sqlite_where=AWAITING_REPLY,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: the unique (meeting_id, user_id) one answers "a meeting's invitees"
    # and every invitation written need not update another.
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reply: Mapped[Reply] = mapped_column(enum_column(Reply, "reply"), default=Reply.NEEDS_ACTION)
    comment: Mapped[str] = mapped_column(String(500), default="")
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The meeting's time changed after this reply: it is kept and shown, to be confirmed again
    # (RFC 5546 asks attendees to answer a rescheduled event anew).
    reconfirm: Mapped[bool] = mapped_column(default=False, server_default=false())
    attendance: Mapped[Attendance] = mapped_column(
        enum_column(Attendance, "attendance"), default=Attendance.UNKNOWN
    )

    meeting: Mapped[Meeting] = relationship(back_populates="invitees")
    user: Mapped[User] = relationship()


class Minutes(db.Model):
    __tablename__ = "minutes"
    __table_args__ = (
        # The minutes circulated for approval (a few among years of approved ones): the
        # dashboard's "minutes to approve".
        Index(
            "ix_minutes_circulated",
            "meeting_id",
            postgresql_where=CIRCULATED,
            sqlite_where=CIRCULATED,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), unique=True
    )
    state: Mapped[MinutesState] = mapped_column(
        enum_column(MinutesState, "minutes_state"), default=MinutesState.DRAFT
    )
    # The current revision: one count over both languages' revisions, so that an approval
    # (of a revision) is of the pair of texts as they were then.
    revision_number: Mapped[int] = mapped_column(default=0)
    # One text per language: `body_md` is the English one (its name from before the Spanish).
    body_md: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    body_md_es: Mapped[str] = mapped_column(Text, default="", server_default="")
    body_html_es: Mapped[str] = mapped_column(Text, default="", server_default="")
    body_md_en = synonym("body_md")
    body_html_en = synonym("body_html")

    meeting: Mapped[Meeting] = relationship(back_populates="minutes")
    revisions: Mapped[list["MinutesRevision"]] = relationship(
        back_populates="minutes", cascade="all, delete-orphan", order_by="MinutesRevision.number"
    )
    approvals: Mapped[list["MinutesApproval"]] = relationship(
        back_populates="minutes", cascade="all, delete-orphan", order_by="MinutesApproval.id"
    )
    reopenings: Mapped[list["MinutesReopening"]] = relationship(
        back_populates="minutes", cascade="all, delete-orphan", order_by="MinutesReopening.id"
    )


class MinutesRevision(db.Model):
    __tablename__ = "minutes_revisions"
    __table_args__ = (UniqueConstraint("minutes_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(ForeignKey("minutes.id", ondelete="CASCADE"))
    number: Mapped[int]
    language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    body_md: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    minutes: Mapped[Minutes] = relationship(back_populates="revisions")
    author: Mapped[User] = relationship()


class MinutesApproval(db.Model):
    """A co-chair's approval for their party; withdrawn when the minutes change afterwards."""

    __tablename__ = "minutes_approvals"

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(
        ForeignKey("minutes.id", ondelete="CASCADE"), index=True
    )
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    revision_number: Mapped[int]
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    minutes: Mapped[Minutes] = relationship(back_populates="approvals")
    party: Mapped[Party] = relationship()
    user: Mapped[User] = relationship()


class MinutesReopening(db.Model):
    """A co-chair reopened approved minutes, and why: the approvals are asked for again."""

    __tablename__ = "minutes_reopenings"

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(
        ForeignKey("minutes.id", ondelete="CASCADE"), index=True
    )
    revision_number: Mapped[int]  # the approved revision that was reopened
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    reason: Mapped[str] = mapped_column(Text)
    reopened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    minutes: Mapped[Minutes] = relationship(back_populates="reopenings")
    user: Mapped[User] = relationship()
    party: Mapped[Party] = relationship()


class StoredMeetingPage(StoredPage):
    """A meeting's page stored in one language (MeetingPage, ManagePage); its layout is
    page.stored_layout's."""

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True, sort_order=-1
    )


class MeetingPage(StoredMeetingPage, db.Model):
    """The meeting page as its readers see it, rendered in one language (page_cache.py).

    Times are left as slots (portal/core/kept) and shown in each reader's zone when served;
    what only some viewers see (their reply, the coordinators' controls) is never part of it.
    """

    __tablename__ = "meeting_pages"


class ManagePage(StoredMeetingPage, db.Model):
    """The management page of a meeting in one language, for whoever manages it (manage_kept.py).

    Only what every manager sees: their tokens, times, the documents and people they may
    pick, the minutes' buttons are slots filled per request (portal/core/kept)."""

    __tablename__ = "meeting_manage_pages"

    # Who may still be invited, the picker's first list (manage.py), drawn with slots for the
    # manager's tokens; kept with the body under its version and the accounts' generation
    # (manage_kept.PEOPLE) it was read after. None: not kept with this body.
    picker: Mapped[str | None] = mapped_column(Text)
    people_generation: Mapped[int | None] = mapped_column(BigInteger)


class CalendarFeed(db.Model):
    """A person's private calendar feed. Its URL token is an HMAC of (person, generation):
    nothing secret is stored, and raising the generation revokes every earlier URL."""

    __tablename__ = "calendar_feeds"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    generation: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# Search (portal/core/search.py, portal/meetings/search.py): the terms of each meeting, agenda
# item and minutes, rewritten when these fields change, matched through a GIN index per kind.
SEARCH_INDEXES = (entry_index("meeting"), entry_index("agenda_item"), entry_index("minutes"))
MEETING_TERMS = keep_terms(
    Meeting,
    "meeting",
    lambda m: f"{both(m, 'title', 'description_md')}\n{m.place}",
    (*columns("title", "description_md"), "place"),
)
AGENDA_ITEM_TERMS = keep_terms(
    AgendaItem,
    "agenda_item",
    lambda item: f"{both(item, 'title')}\n{item.presenter}",
    (*columns("title"), "presenter"),
)
MINUTES_TERMS = keep_terms(
    Minutes,
    "minutes",
    lambda minutes: f"{minutes.body_md or ''}\n{minutes.body_md_es or ''}",
    ("body_md", "body_md_es"),
)

"""The outbox: every email is a row written in the transaction of the change that causes it.

Beside it: each person's delivery choice per category, the items waiting for their daily
digest, the digests already sent, and the reminders already queued.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, synonym

from portal.accounts.models import enum_column
from portal.calendar.ics import ATTENDEE_SLOT, attendee_line
from portal.core.db import UTCDateTime, utcnow
from portal.core.extensions import db
from portal.core.kept import Slots
from portal.core.mail_values import value_of


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a worker until `leased_until`
    SENT = "sent"
    FAILED = "failed"  # permanently: a 5xx answer, a malformed message, or too many tries
    WITHDRAWN = "withdrawn"  # its reader may no longer open what it names: never sent


class OutboxBatch(db.Model):
    """The parts of a mail queued for many readers of one language and zone: its text, HTML
    and calendar rendered once, with private slots (portal.core.kept) where each person's
    values go. Each recipient's OutboxMessage names it and holds only their own values."""

    __tablename__ = "outbox_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    token: Mapped[str] = mapped_column(String(32))  # the private slots' token
    text_parts: Mapped[list] = mapped_column(JSON)
    html_parts: Mapped[list] = mapped_column(JSON)
    ics_parts: Mapped[list | None] = mapped_column(JSON)

    def fill(self, message: "OutboxMessage") -> tuple[str, str, str | None]:
        """The text, HTML and calendar one recipient reads (their values escaped in the HTML,
        their ATTENDEE line in the calendar, asked to reply to an invitation); values kept as
        what they are made from are made now (portal.core.mail_values)."""
        slots = Slots(self.token)
        personal = {name: value_of(value) for name, value in (message.personal or {}).items()}
        personal.setdefault("unsubscribe", message.unsubscribe_url)  # (older rows have it)
        text = slots.fill(self.text_parts, personal, html=False)
        html = slots.fill(self.html_parts, personal, html=True)
        ics = None
        if self.ics_parts:
            asks_reply = message.ics_method == "REQUEST"
            line = attendee_line(message.recipient, personal["name"], asks_reply=asks_reply)
            ics = slots.fill(self.ics_parts, {ATTENDEE_SLOT: line}, html=False)
        return text, str(html), ics


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(64))
    recipient: Mapped[str] = mapped_column(String(254))
    recipient_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    # A mail queued alone carries its bodies; one of a batch carries "" and None here, and
    # body_text, body_html and ics_content are its batch's parts filled with `personal`.
    stored_text: Mapped[str] = mapped_column("body_text", Text)
    stored_html: Mapped[str] = mapped_column("body_html", Text)
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    # An iCalendar invitation travelling with the mail (iMIP): its METHOD and its text.
    ics_method: Mapped[str | None] = mapped_column(String(16))
    stored_ics: Mapped[str | None] = mapped_column("ics_content", Text)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_batches.id"), index=True)
    batch: Mapped[OutboxBatch | None] = relationship()
    # This recipient's values for the batch's slots (their name, links, ATTENDEE line).
    personal: Mapped[dict | None] = mapped_column(JSON)
    # The RFC 8058 one-click unsubscribe link; none on mandatory mail.
    unsubscribe_url: Mapped[str | None] = mapped_column(String(500))
    # Looked up through ix_outbox_messages_due, whose first column it is.
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus, "outbox_status"), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    leased_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    leased_by: Mapped[str | None] = mapped_column(String(120))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The object the mail names (notifications/readable.py), checked again when it is sent.
    subject_kind: Mapped[str | None] = mapped_column(String(32))
    subject_id: Mapped[int | None]

    def _filled(self) -> tuple[str, str, str | None]:
        if self.batch_id is None:
            return self.stored_text, self.stored_html, self.stored_ics
        filled = self.__dict__.get("_filled_parts")
        if filled is None:
            filled = self.__dict__["_filled_parts"] = self.batch.fill(self)
        return filled

    def _setter(column: str):
        def store(self, value) -> None:
            setattr(self, column, value)

        return store

    # What the recipient reads, whether queued alone or in a batch (the worker, the outbox
    # page and the tests read these); in queries they stand for the stored columns.
    body_text = synonym(
        "stored_text", descriptor=property(lambda self: self._filled()[0], _setter("stored_text"))
    )
    body_html = synonym(
        "stored_html", descriptor=property(lambda self: self._filled()[1], _setter("stored_html"))
    )
    ics_content = synonym(
        "stored_ics", descriptor=property(lambda self: self._filled()[2], _setter("stored_ics"))
    )
    del _setter


class Delivery(StrEnum):
    IMMEDIATE = "immediate"
    DIGEST = "digest"
    OFF = "off"


class NotificationPreference(db.Model):
    """A person's choice for one category; no row means immediate (the default for everyone)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[str] = mapped_column(String(32), primary_key=True)
    delivery: Mapped[Delivery] = mapped_column(enum_column(Delivery, "delivery"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DigestItem(db.Model):
    """A notification held for the person's daily digest, already in their language."""

    __tablename__ = "digest_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(300))
    link: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The object the item names, checked again when the digest is written; an item its
    # reader may no longer open is withdrawn, never shown.
    subject_kind: Mapped[str | None] = mapped_column(String(32))
    subject_id: Mapped[int | None]
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    digest_id: Mapped[int | None] = mapped_column(
        ForeignKey("notification_digests.id", ondelete="SET NULL"), index=True
    )


class Digest(db.Model):
    """One person's digest of one local day: the unique pair makes `outbox digest` idempotent."""

    __tablename__ = "notification_digests"
    __table_args__ = (UniqueConstraint("user_id", "digest_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    digest_on: Mapped[date]
    outbox_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

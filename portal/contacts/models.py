"""Points of contact of a party under an MoU: the people the MoU names and the party's CSIRT."""

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import Party, User, enum_column
from portal.core.db import UTCDateTime, utcnow
from portal.core.extensions import db
from portal.mous.models import Mou


class ContactKind(StrEnum):
    MOU = "mou"  # named by the MoU
    CSIRT = "csirt"  # the party's CSIRT


class Availability(StrEnum):
    ALWAYS = "always"  # 24/7
    OFFICE_HOURS = "office_hours"  # office_days, office_start to office_end in `timezone`


class PointOfContact(db.Model):
    """Removing one keeps the row (removed_at) and its changes: nothing recorded is lost."""

    __tablename__ = "points_of_contact"
    __table_args__ = (Index("ix_points_of_contact_mou_party", "mou_id", "party_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mou_id: Mapped[int] = mapped_column(ForeignKey("mous.id"))
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    kind: Mapped[ContactKind] = mapped_column(enum_column(ContactKind, "contact_kind"))
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(20))  # E.164: "+56221234567"
    availability: Mapped[Availability] = mapped_column(
        enum_column(Availability, "contact_availability")
    )
    # Office hours: the weekdays as digits (Monday 0 ... Sunday 6), local times in `timezone`.
    office_days: Mapped[str] = mapped_column(String(7), default="")
    office_start: Mapped[time | None]
    office_end: Mapped[time | None]
    timezone: Mapped[str] = mapped_column(String(64))
    # 40 (v4) or 64 (v5, v6) upper-case hexadecimal digits; "" when the contact gave none.
    pgp_fingerprint: Mapped[str] = mapped_column(String(64), default="")
    last_verified_on: Mapped[date]
    uid: Mapped[str] = mapped_column(String(36), unique=True)  # the vCard's UID
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    mou: Mapped[Mou] = relationship()
    party: Mapped[Party] = relationship()
    changes: Mapped[list["ContactChange"]] = relationship(
        back_populates="contact", order_by="ContactChange.id"
    )

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def weekdays(self) -> list[int]:
        return [int(day) for day in self.office_days]


class ContactChange(db.Model):
    """One field of a point of contact changed, by whom and when (its history)."""

    __tablename__ = "point_of_contact_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("points_of_contact.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    field: Mapped[str] = mapped_column(String(40))
    before: Mapped[str] = mapped_column(Text, default="")
    after: Mapped[str] = mapped_column(Text, default="")

    contact: Mapped[PointOfContact] = relationship(back_populates="changes")
    actor: Mapped[User | None] = relationship()

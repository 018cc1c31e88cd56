"""MoUs, their parties, signatories, areas and lines of cooperation; working groups."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import Party, User, enum_column
from portal.core.db import UTCDateTime, utcnow
from portal.core.extensions import db


class MouStatus(StrEnum):
    IN_FORCE = "in_force"
    SUSPENDED = "suspended"
    EXPIRED = "expired"
    TERMINATED = "terminated"


class Area(StrEnum):
    CYBERSECURITY = "cybersecurity"
    CYBERCRIME = "cybercrime"
    CYBER_DEFENCE = "cyber_defence"


mou_parties = Table(
    "mou_parties",
    db.metadata,
    Column("mou_id", ForeignKey("mous.id", ondelete="CASCADE"), primary_key=True),
    Column("party_id", ForeignKey("parties.id"), primary_key=True, index=True),
)


class Mou(db.Model):
    __tablename__ = "mous"

    id: Mapped[int] = mapped_column(primary_key=True)
    title_en: Mapped[str] = mapped_column(String(300))
    title_es: Mapped[str] = mapped_column(String(300))
    summary_en: Mapped[str] = mapped_column(Text, default="")
    summary_es: Mapped[str] = mapped_column(Text, default="")
    signed_on: Mapped[date | None]
    signing_place: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[MouStatus] = mapped_column(enum_column(MouStatus, "mou_status"))
    term_starts_on: Mapped[date | None]
    term_ends_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Raised in the same transaction as every change the MoU's implementation report counts
    # (each section's report.py and portal/reports/versions.py): it keys the kept report.
    report_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Raised by every change the library's list shows of the MoU's documents
    # (portal/documents/versions.py): it keys the kept list.
    library_version: Mapped[int] = mapped_column(default=1, server_default="1")

    parties: Mapped[list[Party]] = relationship(secondary=mou_parties, order_by=Party.code)
    areas: Mapped[list["MouArea"]] = relationship(
        cascade="all, delete-orphan", order_by="MouArea.area"
    )
    signatories: Mapped[list["Signatory"]] = relationship(
        cascade="all, delete-orphan", order_by="Signatory.id"
    )
    lines: Mapped[list["LineOfCooperation"]] = relationship(
        cascade="all, delete-orphan", order_by="LineOfCooperation.position"
    )
    working_groups: Mapped[list["WorkingGroup"]] = relationship(
        back_populates="mou", order_by="WorkingGroup.name_en"
    )

    @property
    def area_values(self) -> list[Area]:
        return [a.area for a in self.areas]


class MouArea(db.Model):
    __tablename__ = "mou_areas"

    mou_id: Mapped[int] = mapped_column(ForeignKey("mous.id", ondelete="CASCADE"), primary_key=True)
    area: Mapped[Area] = mapped_column(enum_column(Area, "area"), primary_key=True)


class Signatory(db.Model):
    __tablename__ = "signatories"

    id: Mapped[int] = mapped_column(primary_key=True)
    mou_id: Mapped[int] = mapped_column(ForeignKey("mous.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    name: Mapped[str] = mapped_column(String(200))
    office_en: Mapped[str] = mapped_column(String(300))
    office_es: Mapped[str] = mapped_column(String(300))

    party: Mapped[Party] = relationship()


class LineOfCooperation(db.Model):
    __tablename__ = "lines_of_cooperation"

    id: Mapped[int] = mapped_column(primary_key=True)
    mou_id: Mapped[int] = mapped_column(ForeignKey("mous.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title_en: Mapped[str] = mapped_column(String(300))
    title_es: Mapped[str] = mapped_column(String(300))


class WorkingGroup(db.Model):
    __tablename__ = "working_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    mou_id: Mapped[int] = mapped_column(ForeignKey("mous.id"), index=True)
    name_en: Mapped[str] = mapped_column(String(300))
    name_es: Mapped[str] = mapped_column(String(300))
    mandate_en: Mapped[str] = mapped_column(Text, default="")
    mandate_es: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Raised in the same transaction as every change that the group's action lists and
    # progress chart show (portal/actions/versions.py): it keys their cached renderings.
    actions_version: Mapped[int] = mapped_column(default=1, server_default="1")

    mou: Mapped[Mou] = relationship(back_populates="working_groups")
    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="working_group", cascade="all, delete-orphan"
    )


class Membership(db.Model):
    """A person in a working group; at most one co-chair per party (kept by the service)."""

    __tablename__ = "working_group_members"
    __table_args__ = (UniqueConstraint("working_group_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    working_group_id: Mapped[int] = mapped_column(
        ForeignKey("working_groups.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    is_co_chair: Mapped[bool] = mapped_column(default=False)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    working_group: Mapped[WorkingGroup] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()

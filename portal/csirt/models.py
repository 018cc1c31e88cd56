"""CSIRT teams and their members, bulletins with indicators, attachments and acknowledgements."""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import Party, User, enum_column
from portal.core.db import UTCDateTime, utcnow
from portal.core.extensions import db
from portal.core.search import entry_index, keep_terms
from portal.core.tlp import TLP
from portal.mous.models import Mou


class BulletinKind(StrEnum):
    ADVISORY = "advisory"
    ALERT = "alert"
    INCIDENT_REPORT = "incident_report"
    LESSONS_LEARNED = "lessons_learned"
    STATISTICS = "statistics"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Sector(StrEnum):
    GOVERNMENT = "government"
    ENERGY = "energy"
    FINANCE = "finance"
    HEALTH = "health"
    TELECOMMUNICATIONS = "telecommunications"
    TRANSPORT = "transport"
    WATER = "water"
    EDUCATION = "education"
    DEFENCE = "defence"
    OTHER = "other"


class IndicatorType(StrEnum):
    CVE = "cve"
    DOMAIN = "domain"
    URL = "url"
    IPV4 = "ipv4"  # an address or a CIDR block
    IPV6 = "ipv6"  # an address or a CIDR block
    EMAIL = "email"
    MD5 = "md5"
    SHA1 = "sha1"
    SHA256 = "sha256"


class Answer(StrEnum):
    RECEIVED = "received"
    ACTING = "acting"
    NOT_RELEVANT = "not_relevant"


class CsirtTeam(db.Model):
    """A party's CSIRT: its name; its members are the accounts marked in csirt_members."""

    __tablename__ = "csirt_teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), unique=True)
    name: Mapped[str] = mapped_column(String(200))

    party: Mapped[Party] = relationship()


class CsirtMember(db.Model):
    """An account of a party marked by its coordinator as a member of the party's CSIRT."""

    __tablename__ = "csirt_members"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


# The people named on a TLP:RED bulletin: the only ones who may open it.
bulletin_readers = Table(
    "csirt_bulletin_readers",
    db.metadata,
    Column("bulletin_id", ForeignKey("csirt_bulletins.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True, index=True),
)


class Bulletin(db.Model):
    __tablename__ = "csirt_bulletins"
    __table_args__ = (Index("ix_csirt_bulletins_mou_created", "mou_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The STIX and MISP identifiers of the bulletin's objects are made from it.
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    mou_id: Mapped[int] = mapped_column(ForeignKey("mous.id"))
    owning_party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[BulletinKind] = mapped_column(enum_column(BulletinKind, "bulletin_kind"))
    tlp: Mapped[TLP] = mapped_column(enum_column(TLP, "tlp"))
    severity: Mapped[Severity] = mapped_column(enum_column(Severity, "bulletin_severity"))
    # The affected sectors' values, comma-separated in the order of Sector.
    sectors: Mapped[str] = mapped_column(String(300), default="")
    title: Mapped[str] = mapped_column(String(300))
    body_md: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    mou: Mapped[Mou] = relationship()
    owning_party: Mapped[Party] = relationship()
    created_by: Mapped[User] = relationship()
    readers: Mapped[list[User]] = relationship(secondary=bulletin_readers, order_by=User.name)
    indicators: Mapped[list["Indicator"]] = relationship(
        cascade="all, delete-orphan", order_by="Indicator.position"
    )
    attachments: Mapped[list["Attachment"]] = relationship(
        cascade="all, delete-orphan", order_by="Attachment.id"
    )
    acknowledgements: Mapped[list["Acknowledgement"]] = relationship(
        cascade="all, delete-orphan", order_by="Acknowledgement.answered_at"
    )

    @property
    def reader_ids(self) -> set[int]:
        return {u.id for u in self.readers}

    @property
    def sector_list(self) -> list[Sector]:
        return [Sector(s) for s in self.sectors.split(",") if s]


class Indicator(db.Model):
    __tablename__ = "csirt_indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    bulletin_id: Mapped[int] = mapped_column(
        ForeignKey("csirt_bulletins.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    type: Mapped[IndicatorType] = mapped_column(enum_column(IndicatorType, "indicator_type"))
    value: Mapped[str] = mapped_column(String(2048))


class Attachment(db.Model):
    """A file of a bulletin, kept by the documents' storage; readable exactly as its bulletin."""

    __tablename__ = "csirt_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    bulletin_id: Mapped[int] = mapped_column(
        ForeignKey("csirt_bulletins.id", ondelete="CASCADE"), index=True
    )
    file_name: Mapped[str] = mapped_column(String(255))  # as the uploader named it: data only
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(120))
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(100), unique=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Acknowledgement(db.Model):
    """A receiving CSIRT member's answer to a bulletin (the latest one counts)."""

    __tablename__ = "csirt_acknowledgements"
    __table_args__ = (UniqueConstraint("bulletin_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bulletin_id: Mapped[int] = mapped_column(
        ForeignKey("csirt_bulletins.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    answer: Mapped[Answer] = mapped_column(enum_column(Answer, "bulletin_answer"))
    note: Mapped[str] = mapped_column(String(1000), default="")
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
    party: Mapped[Party] = relationship()


# Search (portal/core/search.py, portal/csirt/search.py): each bulletin's terms (title, body and
# indicators, so a CVE id or a domain finds it), matched through a GIN index of their own.
# Bulletins are not edited after publication; the terms are written with the bulletin.
SEARCH_INDEX = entry_index("csirt_bulletin")
BULLETIN_TERMS = keep_terms(
    Bulletin,
    "csirt_bulletin",
    lambda bulletin: "\n".join(
        [bulletin.title, bulletin.body_md, *(i.value for i in bulletin.indicators)]
    ),
    ("title", "body_md"),
)

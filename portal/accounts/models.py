"""Parties (delegations), accounts, login sessions, invitations and password resets."""

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import BigInteger, CheckConstraint, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.db import UTCDateTime, utcnow
from portal.core.extensions import db
from portal.core.roles import PartyKind, Role

# An external participant belongs to no delegation; everyone else belongs to exactly one.
PARTY_BY_ROLE = "(role = 'external') = (party_id IS NULL)"
# A party's working time is either not set (all NULL) or whole: at least one ISO weekday,
# and hours (minutes from local midnight) that end after they start, within the day.
PARTY_WORKING_HOURS = (
    "(work_days IS NULL AND work_start_minute IS NULL AND work_end_minute IS NULL)"
    " OR (work_days IS NOT NULL AND work_start_minute IS NOT NULL"
    " AND work_end_minute IS NOT NULL AND length(work_days) >= 1 AND work_start_minute >= 0"
    " AND work_start_minute < work_end_minute AND work_end_minute <= 1440)"
)


def enum_column(enum_class: type[StrEnum], name: str) -> Enum:
    """A portable enum stored as its string value, checked by a constraint."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda members: [m.value for m in members],
    )


class Party(db.Model):
    __tablename__ = "parties"
    __table_args__ = (CheckConstraint(PARTY_WORKING_HOURS, name="working_hours"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    kind: Mapped[PartyKind] = mapped_column(enum_column(PartyKind, "party_kind"))
    name_en: Mapped[str] = mapped_column(String(200))
    name_es: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(5))
    # Working time, on the party's own clock (portal/calendar/working_time.py): ISO weekday
    # digits ("12345" is Monday to Friday, "71234" Sunday to Thursday) and the hours as
    # minutes from local midnight. Not set (NULL): nobody is warned about this party's hours.
    work_days: Mapped[str | None] = mapped_column(String(7))
    work_start_minute: Mapped[int | None] = mapped_column()
    work_end_minute: Mapped[int | None] = mapped_column()
    # Whose public holidays the party keeps (ISO 3166 code known to the `holidays` package,
    # and optionally a subdivision); NULL for an organisation, which follows the meeting's host.
    holiday_country: Mapped[str | None] = mapped_column(String(2))
    holiday_subdivision: Mapped[str | None] = mapped_column(String(10))

    @property
    def has_working_hours(self) -> bool:
        return self.work_days is not None

    def __repr__(self) -> str:
        return f"<Party {self.code}>"


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(PARTY_BY_ROLE, name="party_by_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # always stored lower-case
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    party_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"), index=True)
    language: Mapped[str] = mapped_column(String(5))
    timezone: Mapped[str] = mapped_column(String(64))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Second factor: the TOTP secret (base32), since when it is in use, and the last time
    # step accepted, so that no code is accepted twice.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)

    party: Mapped[Party | None] = relationship(lazy="joined")

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMINISTRATOR

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def has_second_factor(self) -> bool:
        return self.totp_enabled_at is not None

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class UserSession(db.Model):
    """A login on one browser; the cookie carries its random token, the table its hash."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_agent: Mapped[str | None] = mapped_column(String(300))  # as sent, cut to fit
    ip_address: Mapped[str | None] = mapped_column(String(45))  # where the login came from

    user: Mapped[User] = relationship()


class Invitation(db.Model):
    """An invitation into a delegation; one of an external participant has no party (who
    invited them is invited_by)."""

    __tablename__ = "invitations"
    __table_args__ = (CheckConstraint(PARTY_BY_ROLE, name="party_by_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    party_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    language: Mapped[str] = mapped_column(String(5))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    party: Mapped[Party | None] = relationship()
    invited_by: Mapped[User | None] = relationship()

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= utcnow()


class PasswordReset(db.Model):
    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class RecoveryCode(db.Model):
    """A single-use code that stands in for the second factor; only its hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

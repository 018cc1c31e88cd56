"""Personal access tokens: a person's keys to the JSON API, kept only as hashes."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User, enum_column
from portal.core.db import UTCDateTime, utcnow
from portal.core.extensions import db


class TokenScope(StrEnum):
    READ = "read"  # GET only
    READ_WRITE = "read_write"  # also creates and changes what the person may change


class ApiToken(db.Model):
    """A token is shown once, at creation; the table keeps its SHA-256 and a short prefix that
    lets its owner tell it apart. Revoking sets revoked_at: the row stays, for the audit log."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    scope: Mapped[TokenScope] = mapped_column(enum_column(TokenScope, "api_token_scope"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.READ_WRITE

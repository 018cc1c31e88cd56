"""Server-side login sessions, so logout and a password change end a copied cookie too."""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from portal.accounts.models import User, UserSession
from portal.db import utcnow
from portal.tokens import hash_token, new_token

# Writing last_seen_at on every request would turn every page view into a write.
LAST_SEEN_GRANULARITY = timedelta(minutes=1)


def start_session(session: Session, user: User) -> str:
    """Open a new login session and return the token the cookie will carry."""
    token, token_hash = new_token()
    session.add(UserSession(user_id=user.id, token_hash=token_hash))
    return token


# Built once: it runs on every request, and building a statement costs more than running it.
_SESSION_USER = (
    select(User, UserSession.id, UserSession.last_seen_at, UserSession.created_at)
    .join(User, User.id == UserSession.user_id)
    .where(
        UserSession.token_hash == bindparam("token_hash"),
        UserSession.user_id == bindparam("user_id"),
        UserSession.ended_at.is_(None),
    )
)


def load_session_user(session: Session, user_id: int, token: str | None) -> User | None:
    """The user of a live session, or None when the session is unknown, ended or timed out."""
    if not token:
        return None
    parameters = {"token_hash": hash_token(token), "user_id": user_id}
    row = session.execute(_SESSION_USER, parameters).first()
    if row is None:
        return None
    user, session_id, last_seen_at, created_at = row
    now = utcnow()
    if _timed_out(last_seen_at, created_at, now) or not user.is_active:
        _update_session(session, session_id, ended_at=now)
        return None
    if now - last_seen_at >= LAST_SEEN_GRANULARITY:
        _update_session(session, session_id, last_seen_at=now)
    return user


def _update_session(session: Session, session_id: int, **values) -> None:
    table = UserSession.__table__
    session.execute(update(table).where(table.c.id == session_id).values(**values))


def _timed_out(last_seen_at: datetime, created_at: datetime, now: datetime) -> bool:
    idle = current_app.config["SESSION_IDLE_TIMEOUT"]
    absolute = current_app.config["SESSION_ABSOLUTE_TIMEOUT"]
    return now - last_seen_at > idle or now - created_at > absolute


def end_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(
            update(UserSession)
            .where(UserSession.token_hash == hash_token(token), UserSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )


def end_all_sessions(session: Session, user: User) -> None:
    """End every session of the user (password change, role change, deactivation)."""
    session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )

"""Server-side login sessions, so logout and a password change end a copied cookie too."""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ScalarSelect, bindparam, func, select, update
from sqlalchemy.orm import Session, aliased, defer

from portal.accounts import access
from portal.accounts.models import User, UserSession
from portal.core.db import utcnow
from portal.core.errors import Denied, NotFound
from portal.core.ports import record
from portal.core.tokens import hash_token, new_token

# Writing last_seen_at on every request would turn every page view into a write.
LAST_SEEN_GRANULARITY = timedelta(minutes=1)


USER_AGENT_LENGTH = UserSession.user_agent.type.length


def start_session(
    session: Session, user: User, *, user_agent: str | None = None, ip_address: str | None = None
) -> str:
    """Open a new login session and return the token the cookie will carry."""
    token, token_hash = new_token()
    session.add(
        UserSession(
            user_id=user.id,
            token_hash=token_hash,
            user_agent=(user_agent or "")[:USER_AGENT_LENGTH] or None,
            ip_address=ip_address,
        )
    )
    return token


# Built once: it runs on every request, and building a statement costs more than running it.
# What only the password and second-factor steps read is left out (loaded if they ask).
_SESSION_USER = (
    select(User, UserSession.id, UserSession.last_seen_at, UserSession.created_at)
    .join(User, User.id == UserSession.user_id)
    .where(
        UserSession.token_hash == bindparam("token_hash"),
        UserSession.user_id == bindparam("user_id"),
        UserSession.ended_at.is_(None),
    )
    .options(
        defer(User.password_hash),
        defer(User.totp_secret),
        defer(User.totp_last_step),
        defer(User.last_login_at),
        defer(User.created_at),
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


# The last visit, for what is new since ----------------------------------------------------

_NEWER_SESSION = aliased(UserSession, name="newer_session")


def previous_visit(user: User) -> ScalarSelect:
    """When the person last used the portal before their newest login, as a scalar subquery:
    the latest activity of their sessions opened before it (NULL on a first login)."""
    newest_login = (
        select(func.max(_NEWER_SESSION.created_at))
        .where(_NEWER_SESSION.user_id == user.id)
        .scalar_subquery()
    )
    return (
        select(func.max(UserSession.last_seen_at))
        .where(UserSession.user_id == user.id, UserSession.created_at < newest_login)
        .scalar_subquery()
    )


# The person's sessions page ------------------------------------------------------------


def _live_sessions(user: User):
    now = utcnow()
    return select(UserSession).where(
        UserSession.user_id == user.id,
        UserSession.ended_at.is_(None),
        UserSession.last_seen_at > now - current_app.config["SESSION_IDLE_TIMEOUT"],
        UserSession.created_at > now - current_app.config["SESSION_ABSOLUTE_TIMEOUT"],
    )


def active_sessions(session: Session, user: User) -> list[UserSession]:
    """The user's sessions that still open the portal, most recently used first."""
    query = _live_sessions(user).order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    return list(session.scalars(query))


def is_current(user_session: UserSession, token: str | None) -> bool:
    return token is not None and user_session.token_hash == hash_token(token)


def end_own_session(session: Session, user: User, session_id: int) -> None:
    """Sign out one of the user's sessions; another person's answers like a missing one."""
    user_session = session.get(UserSession, session_id)
    if user_session is None or user_session.ended_at is not None:
        raise NotFound()
    if not access.owns_login_session(user, user_session):
        raise Denied("user_session", session_id)
    user_session.ended_at = utcnow()
    record(session, "session.ended", actor=user, object_type="user_session", object_id=session_id)


def end_other_sessions(session: Session, user: User, token: str | None) -> int:
    """Sign out every session of the user but this one; how many were signed out."""
    others = _live_sessions(user)
    if token:
        others = others.where(UserSession.token_hash != hash_token(token))
    ended = list(session.scalars(others))
    now = utcnow()
    for user_session in ended:
        user_session.ended_at = now
    record(
        session,
        "session.ended_others",
        actor=user,
        object_type="user",
        object_id=user.id,
        count=len(ended),
    )
    return len(ended)

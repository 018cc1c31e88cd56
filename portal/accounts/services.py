"""Login, invitations, password resets and profiles: what the views, CLI and tests call."""

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.accounts.models import PasswordReset, Role, User
from portal.accounts.notifications import SecurityEvent, send_security_notice
from portal.accounts.passwords import (
    burn_verification_time,
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from portal.accounts.sessions import end_all_sessions
from portal.core import access as core_access
from portal.core.db import utcnow
from portal.core.errors import Forbidden, NotFound, ValidationError
from portal.core.ports import queue_email, record
from portal.core.timezones import is_valid_timezone
from portal.core.tokens import hash_token, new_token
from portal.web.pagination import paginate
from portal.web.urls import external_url


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalize_email(email)))


def check_new_password(password: str, email: str) -> None:
    problem = password_problem(password, email)
    if problem:
        raise ValidationError(problem, field="password")


def check_language_and_zone(language: str, timezone: str) -> None:
    if language not in current_app.config["LANGUAGES"]:
        raise ValidationError(str(_l("Choose English or Spanish.")), field="language")
    if not is_valid_timezone(timezone):
        raise ValidationError(str(_l("Choose a time zone from the list.")), field="timezone")


# Login ------------------------------------------------------------------------


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The user whose credentials these are, or None; failures are audited.

    The caller shows one message for every failure, so the answer never tells
    whether an address has an account. Throttling is the caller's (accounts/login_checks.py).
    """
    user = find_user_by_email(session, email)
    if user is None or not user.is_active:
        burn_verification_time()
        record(session, "login.failed", object_type="email", object_id=normalize_email(email)[:64])
        return None
    if not verify_password(user.password_hash, password):
        record(session, "login.failed", object_type="user", object_id=user.id)
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    # With a second factor, the login happens when the code passes (login.second_factor).
    kind = "login.password_accepted" if user.has_second_factor else "login"
    record(session, kind, actor=user, object_type="user", object_id=user.id)
    return user


def refuse_locked_login(session: Session, email: str) -> None:
    """A login refused by the lock: as slow as a checked password, and audited."""
    burn_verification_time()
    record(session, "login.locked", object_type="email", object_id=normalize_email(email)[:64])


def record_logout(session: Session, user: User) -> None:
    record(session, "logout", actor=user, object_type="user", object_id=user.id)


# Password reset -------------------------------------------------------------------


def request_password_reset(session: Session, email: str) -> None:
    """Mail a reset link if the address has an active account; do nothing visible otherwise."""
    user = find_user_by_email(session, email)
    if user is None or not user.is_active:
        record(
            session,
            "password_reset.unknown",
            object_type="email",
            object_id=normalize_email(email)[:64],
        )
        return
    token, token_hash = new_token()
    reset = PasswordReset(
        user_id=user.id,
        token_hash=token_hash,
        expires_at=utcnow() + current_app.config["PASSWORD_RESET_LIFETIME"],
    )
    session.add(reset)
    queue_email(
        session,
        kind="password_reset",
        template="accounts/password_reset",
        subject=_l("Reset your password"),
        recipient=user.email,
        recipient_user=user,
        language=user.language,
        link=external_url("accounts.reset_password", token=token),
        expires_at=reset.expires_at,
    )
    record(session, "password_reset.requested", actor=None, object_type="user", object_id=user.id)


def find_open_reset(session: Session, token: str) -> PasswordReset:
    reset = session.scalar(
        select(PasswordReset).where(PasswordReset.token_hash == hash_token(token))
    )
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow():
        raise NotFound(
            str(_l("This reset link has already been used, has expired or is not valid."))
        )
    return reset


def reset_password(session: Session, token: str, new_password: str) -> User:
    reset = find_open_reset(session, token)
    user = reset.user
    check_new_password(new_password, user.email)
    user.password_hash = hash_password(new_password)
    now = utcnow()
    for other in session.scalars(
        select(PasswordReset).where(
            PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None)
        )
    ):
        other.used_at = now
    end_all_sessions(session, user)
    record(session, "password_reset.completed", actor=user, object_type="user", object_id=user.id)
    send_security_notice(session, user, SecurityEvent.PASSWORD_CHANGED)
    return user


# Own account -------------------------------------------------------------------------


def change_password(session: Session, user: User, new: str) -> None:
    """Change the password; every session of the user ends (the caller starts a new one).

    The form has asked for the current password again (accounts/reauth.py).
    """
    check_new_password(new, user.email)
    user.password_hash = hash_password(new)
    end_all_sessions(session, user)
    record(session, "password.changed", actor=user, object_type="user", object_id=user.id)
    send_security_notice(session, user, SecurityEvent.PASSWORD_CHANGED)


@dataclass(frozen=True)
class Profile:
    name: str
    language: str
    timezone: str


def update_profile(session: Session, user: User, profile: Profile) -> None:
    check_language_and_zone(profile.language, profile.timezone)
    user.name = profile.name.strip()
    user.language = profile.language
    user.timezone = profile.timezone


def set_language(user: User, language: str) -> None:
    if language in current_app.config["LANGUAGES"]:
        user.language = language


# Administration of accounts ----------------------------------------------------------


def list_accounts(session: Session, actor: User, *, page: int, party_id: int | None = None):
    if not core_access.can_administer(actor):
        raise Forbidden()
    query = select(User).order_by(func.lower(User.name), User.id)
    if party_id:
        query = query.where(User.party_id == party_id)
    return paginate(session, query, page=page)


def get_account(session: Session, actor: User, user_id: int) -> User:
    if not core_access.can_administer(actor):
        raise Forbidden()
    user = session.get(User, user_id)
    if user is None:
        raise NotFound()
    return user


def update_account(
    session: Session, actor: User, user: User, *, role: Role, is_active: bool
) -> None:
    """Change an account's role or deactivate it; its sessions end so the change takes effect."""
    if not core_access.can_administer(actor):
        raise Forbidden()
    if user.id == actor.id and (role != user.role or not is_active):
        raise ValidationError(
            str(_l("You cannot change your own role or deactivate yourself.")), field="role"
        )
    if user.role == Role.EXTERNAL and role != Role.EXTERNAL:
        message = _l("An external participant belongs to no delegation: no delegation role.")
        raise ValidationError(str(message), field="role")
    changed = role != user.role or is_active != user.is_active
    if role != user.role:
        record(
            session,
            "role.changed",
            actor=actor,
            object_type="user",
            object_id=user.id,
            before=user.role.value,
            after=role.value,
        )
    if is_active != user.is_active:
        record(
            session,
            "account.activated" if is_active else "account.deactivated",
            actor=actor,
            object_type="user",
            object_id=user.id,
        )
    user.role = role
    if role == Role.EXTERNAL:
        user.party = None  # an external participant belongs to no delegation
    user.is_active = is_active
    if changed:
        end_all_sessions(session, user)

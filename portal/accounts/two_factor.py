"""The second factor: enrolment, the check at login, recovery codes and the administrator's
reset after a lost device. Each change is audited and mailed as a security notice.
"""

from dataclasses import dataclass
from enum import StrEnum

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session
from werkzeug.exceptions import TooManyRequests

from portal.accounts import access, totp
from portal.accounts.models import RecoveryCode, User
from portal.accounts.notifications import SecurityEvent, send_security_notice
from portal.accounts.passwords import verify_password
from portal.accounts.sessions import end_all_sessions
from portal.accounts.throttle import (
    LoginBlock,
    forget_account_failures,
    login_blocked,
    record_login_failure,
)
from portal.core import access as core_access
from portal.core.db import utcnow
from portal.core.errors import Forbidden, ValidationError
from portal.core.ports import record
from portal.core.tokens import hash_token


class SecondFactor(StrEnum):
    APP = "app"
    RECOVERY_CODE = "recovery_code"


# The check at login --------------------------------------------------------------------


def _claim_step(session: Session, user: User, step: int) -> bool:
    """Record `step` as used, unless it (or a later one) was used already.

    One conditional UPDATE, so two requests racing with the same code cannot both win.
    """
    result = session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
    )
    return result.rowcount == 1


def _use_recovery_code(session: Session, user: User, code: str) -> bool:
    result = session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == hash_token(totp.clean_code(code)),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
    )
    return result.rowcount == 1


def check_second_factor(session: Session, user: User, code: str) -> SecondFactor | None:
    """Which factor `code` is (a fresh app code or an unused recovery code), or None.

    Either is consumed: the app code's time step and every earlier one, or the recovery code.
    """
    if not user.has_second_factor:
        return None
    if totp.looks_like_totp(code):
        step = totp.matching_step(user.totp_secret, code, utcnow(), user.totp_last_step)
        if step is not None and _claim_step(session, user, step):
            return SecondFactor.APP
        return None
    if _use_recovery_code(session, user, code):
        record(
            session,
            "two_factor.recovery_code_used",
            actor=user,
            object_type="user",
            object_id=user.id,
        )
        return SecondFactor.RECOVERY_CODE
    return None


def verify_at_login(session: Session, user: User, code: str, address: str | None) -> bool:
    """The second step of a login. A wrong code counts as a failed login, per account and
    per address, and may lock the account; the caller shows one message for every failure.
    """
    block = login_blocked(account=user.email, address=address)
    if block is LoginBlock.ADDRESS:
        raise TooManyRequests()  # as at the password step: it says nothing of any account
    if block is LoginBlock.ACCOUNT:
        record(session, "login.locked", actor=None, object_type="user", object_id=user.id)
        return False
    factor = check_second_factor(session, user, code)
    if factor is None:
        record_login_failure(account=user.email, address=address)
        record(session, "login.second_factor_failed", object_type="user", object_id=user.id)
        return False
    forget_account_failures(user.email)
    record(
        session,
        "login.second_factor",
        actor=user,
        object_type="user",
        object_id=user.id,
        factor=factor.value,
    )
    return True


def fresh_code(user: User) -> str | None:
    """A code the check would accept now (the demo's stand-in for a phone), or None when
    both steps it may use ahead of time were used already."""
    current = totp.time_step(utcnow())
    for step in (current, current + 1):
        if user.totp_last_step is None or step > user.totp_last_step:
            return totp.code_at(user.totp_secret, step)
    return None


def unused_recovery_codes(session: Session, user: User) -> int:
    return session.scalar(
        select(func.count()).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


# Enrolment and recovery codes ----------------------------------------------------------


def _check_password(user: User, password: str) -> None:
    if not verify_password(user.password_hash, password or ""):
        raise ValidationError(str(_l("The password is not correct.")), field="password")


def _replace_recovery_codes(session: Session, user: User) -> list[str]:
    """A fresh set of codes; the previous ones stop working. Returns them in clear, once."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = totp.new_recovery_codes()
    session.add_all(
        RecoveryCode(user_id=user.id, code_hash=hash_token(totp.clean_code(code))) for code in codes
    )
    return codes


def issuer() -> str:
    return current_app.config.get("TOTP_ISSUER", "Cooperation Portal")


@dataclass(frozen=True)
class Enrolment:
    secret: str  # shown to the person on the set-up page, not stored until confirmed
    password: str
    code: str


def enrol(session: Session, user: User, enrolment: Enrolment) -> list[str]:
    """Turn on (or move to a new app) the second factor; returns the new recovery codes.

    The first code from the app proves it holds the secret; it cannot be used again. Every
    session of the person ends: the caller starts a new one (the session id changes).
    """
    _check_password(user, enrolment.password)
    step = totp.matching_step(enrolment.secret, enrolment.code, utcnow(), None)
    if step is None:
        raise ValidationError(
            str(_l("This code does not match. Check the time on your device and try again.")),
            field="code",
        )
    user.totp_secret = enrolment.secret
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    codes = _replace_recovery_codes(session, user)
    end_all_sessions(session, user)
    record(session, "two_factor.enabled", actor=user, object_type="user", object_id=user.id)
    send_security_notice(session, user, SecurityEvent.TWO_FACTOR_ENABLED)
    return codes


def enrol_known_secret(user: User, secret: str) -> None:
    """Enrol a key chosen beforehand, without a code from an app: demo data and fixtures."""
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    user.totp_last_step = None


def renew_recovery_codes(session: Session, user: User, password: str) -> list[str]:
    if not user.has_second_factor:
        raise Forbidden()
    _check_password(user, password)
    codes = _replace_recovery_codes(session, user)
    record(
        session,
        "two_factor.recovery_codes_renewed",
        actor=user,
        object_type="user",
        object_id=user.id,
    )
    send_security_notice(session, user, SecurityEvent.RECOVERY_CODES_RENEWED)
    return codes


def _remove_second_factor(session: Session, user: User) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def disable(session: Session, user: User, password: str) -> None:
    """Turn the second factor off; only for people who are not required to use it."""
    if not user.has_second_factor or core_access.must_use_second_factor(user):
        raise Forbidden()
    _check_password(user, password)
    _remove_second_factor(session, user)
    record(session, "two_factor.disabled", actor=user, object_type="user", object_id=user.id)
    send_security_notice(session, user, SecurityEvent.TWO_FACTOR_DISABLED)


def reset_by_administrator(session: Session, actor: User, user: User) -> None:
    """After a lost device: the person logs in with the password and enrols a new app.

    Their sessions end, so nobody stays logged in on the strength of the old device.
    """
    if not access.can_reset_second_factor(actor, user):
        raise Forbidden()
    if not user.has_second_factor:
        raise ValidationError(str(_l("This account does not use two-step verification.")))
    _remove_second_factor(session, user)
    end_all_sessions(session, user)
    record(session, "two_factor.reset", actor=actor, object_type="user", object_id=user.id)
    send_security_notice(session, user, SecurityEvent.TWO_FACTOR_RESET)

"""Password policy and hashing (argon2id)."""

import gzip
from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

MIN_LENGTH = 12
MAX_LENGTH = 128


@cache
def _hasher_with(parameters: tuple[tuple[str, int], ...]) -> PasswordHasher:
    return PasswordHasher(**dict(parameters))


def _hasher() -> PasswordHasher:
    """argon2id with the configured parameters (ARGON2_PARAMETERS; the library's by default)."""
    parameters = current_app.config.get("ARGON2_PARAMETERS", {}) if has_app_context() else {}
    return _hasher_with(tuple(sorted(parameters.items())))


@cache
def _common_passwords() -> frozenset[str]:
    """Django's list of 20,000 common passwords (lower-case), shipped with the code."""
    data = resources.files("portal.accounts").joinpath("data/common-passwords.txt.gz")
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def password_problem(password: str, email: str | None = None) -> str | None:
    """Why a new password is refused, in the reader's language, or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return str(_l("Use at least %(n)d characters.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        return str(_l("Use at most %(n)d characters.", n=MAX_LENGTH))
    if password.lower() in _common_passwords():
        return str(_l("This password is too common; choose another."))
    if email and password.lower() == email.lower():
        return str(_l("The password must not be your email address."))
    return None


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def burn_verification_time() -> None:
    """Spend one verification's time, so an unknown address answers as slowly as a known one."""
    verify_password(_dummy_hash(), "not the password")


def _dummy_hash() -> str:
    return _dummy_hash_for(_hasher())


@cache
def _dummy_hash_for(hasher: PasswordHasher) -> str:
    return hasher.hash("dummy password for timing")

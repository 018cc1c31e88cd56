"""Login throttling that counts failures only, per account and per network address.

The counts live in the `limits` storage named by RATELIMIT_STORAGE_URI (the library
Flask-Limiter is built on): Redis in production, so every worker sees the same counts;
memory otherwise. Successful logins are never counted, so an office behind one address
is not locked out by its own people. The second step of a login (a code) reuses
`login_blocked` and `record_login_failure`.
"""

import hashlib
import ipaddress
import logging
from enum import StrEnum

from flask import Flask, current_app
from limits.errors import StorageError
from limits.storage import Storage, storage_from_string

logger = logging.getLogger(__name__)

EXTENSION = "login_throttle"


class LoginBlock(StrEnum):
    ACCOUNT = "account"  # answered like a wrong password: the account's existence stays hidden
    ADDRESS = "address"  # answered 429: it says nothing about any account


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = storage_from_string(
        app.config["RATELIMIT_STORAGE_URI"],
        key_prefix=app.config["LOGIN_THROTTLE_KEY_PREFIX"],
        wrap_exceptions=True,
        **app.config.get("RATELIMIT_STORAGE_OPTIONS", {}),
    )


def _storage() -> Storage:
    return current_app.extensions[EXTENSION]


def account_key(email: str) -> str:
    """The account's key: a digest, so the store holds no addresses and no unbounded keys."""
    return "account:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def address_key(address: str | None) -> str:
    """The address's key; an IPv6 address counts as its /64, which one client usually holds."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return f"address:{address}"
    if ip.version == 6:
        return f"address:{ipaddress.ip_network(f'{ip}/64', strict=False)}"
    return f"address:{ip}"


def _limits() -> dict[str, tuple[int, int, int]]:
    """Per kind: (failures allowed, window in seconds, lock in seconds)."""
    config = current_app.config
    window = int(config["LOGIN_FAILURE_WINDOW"].total_seconds())
    lockout = int(config["LOGIN_LOCKOUT"].total_seconds())
    return {
        "account": (config["LOGIN_MAX_FAILURES"], window, lockout),
        "address": (config["LOGIN_ADDRESS_MAX_FAILURES"], window, lockout),
    }


def login_blocked(*, account: str, address: str | None) -> LoginBlock | None:
    """Why a login attempt must be refused before the password is even checked, or None."""
    try:
        if _storage().get(f"lock:{address_key(address)}"):
            return LoginBlock.ADDRESS
        if _storage().get(f"lock:{account_key(account)}"):
            return LoginBlock.ACCOUNT
    except StorageError:
        logger.exception("Login throttle store unreachable; the attempt is not throttled")
    return None


def record_login_failure(*, account: str, address: str | None) -> None:
    """Count a failed password or code; the count reaching its limit locks the key."""
    limits = _limits()
    try:
        for kind, key in (("account", account_key(account)), ("address", address_key(address))):
            allowed, window, lockout = limits[kind]
            if _storage().incr(f"failures:{key}", window) >= allowed:
                _storage().incr(f"lock:{key}", lockout)
                _storage().clear(f"failures:{key}")
    except StorageError:
        logger.exception("Login throttle store unreachable; the failure is not counted")


def forget_account_failures(account: str, *, unlock: bool = False) -> None:
    """After a successful login the account starts afresh (its address keeps its count);
    after a password reset by mail its lock goes too."""
    keys = [f"failures:{account_key(account)}"] + (
        [f"lock:{account_key(account)}"] if unlock else []
    )
    try:
        for key in keys:
            _storage().clear(key)
    except StorageError:
        logger.exception("Login throttle store unreachable")

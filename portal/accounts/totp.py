"""Time-based one-time codes (RFC 6238) and recovery codes: the arithmetic, no database."""

import hmac
import re
import secrets
from base64 import b32encode
from datetime import datetime

import pyotp
import segno

STEP_SECONDS = 30
# Steps either side of now that are accepted: a phone whose clock is a little off still works.
ACCEPTED_DRIFT = 1
RECOVERY_CODE_COUNT = 10
_TOTP_CODE = re.compile(r"^[0-9]{6}$")


def new_secret() -> str:
    """A random 160-bit secret in base32, as authenticator apps take it."""
    return pyotp.random_base32(length=32)


def time_step(moment: datetime) -> int:
    return int(moment.timestamp()) // STEP_SECONDS


def code_at(secret: str, step: int) -> str:
    return pyotp.TOTP(secret).generate_otp(step)


def clean_code(code: str) -> str:
    """What the person typed, without the spaces and dashes apps and printouts put in."""
    return re.sub(r"[\s-]", "", code or "").lower()


def looks_like_totp(code: str) -> bool:
    return bool(_TOTP_CODE.match(clean_code(code)))


def matching_step(secret: str, code: str, now: datetime, after: int | None) -> int | None:
    """The time step near `now`, later than `after`, whose code this is; None if none is.

    Steps up to `after` were used already: a code is never accepted twice.
    """
    typed = clean_code(code)
    if not _TOTP_CODE.match(typed):
        return None
    current = time_step(now)
    for step in range(current - ACCEPTED_DRIFT, current + ACCEPTED_DRIFT + 1):
        if after is not None and step <= after:
            continue
        if hmac.compare_digest(code_at(secret, step), typed):
            return step
    return None


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)


def qr_code_data_uri(uri: str) -> str:
    """The QR code of `uri` as an SVG data: URI, drawn here (no service sees the secret)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def spaced(secret: str) -> str:
    """The secret in groups of four, for people who type it into their app."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def new_recovery_codes() -> list[str]:
    """Ten codes of 80 random bits, written xxxx-xxxx-xxxx-xxxx."""
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = b32encode(secrets.token_bytes(10)).decode("ascii").lower()
        codes.append("-".join(raw[i : i + 4] for i in range(0, 16, 4)))
    return codes

"""The formats a point of contact is written in: its PGP fingerprint and its phone number.

Each check takes what a person typed and returns the stored form, or raises ValueError with
the sentence to show them (a lazy gettext, said in the reader's language).
"""

import re

import phonenumbers
from flask_babel import lazy_gettext as _l

# OpenPGP v4 fingerprints are SHA-1 (40 hexadecimal digits); v5 (RFC 9580 drafts) and v6
# (RFC 9580) are SHA-256 (64). Older v3 fingerprints (32 digits, MD5) are not accepted.
FINGERPRINT_LENGTHS = {40: 4, 64: 6}
_HEX = re.compile(r"[0-9A-F]*")
_SPACES = re.compile(r"[ \t]+")


def clean_fingerprint(text: str) -> str:
    """The fingerprint without its spaces, in upper case ("" when none was given)."""
    value = _SPACES.sub("", text or "").upper()
    if not value:
        return ""
    if not _HEX.fullmatch(value):
        raise ValueError(
            _l(
                "A PGP key fingerprint has only the digits 0–9 and the letters A–F "
                "(spaces are allowed)."
            )
        )
    if len(value) not in FINGERPRINT_LENGTHS:
        raise ValueError(
            _l(
                "A PGP key fingerprint has 40 hexadecimal digits (version 4 keys) or 64 "
                "(version 5 and 6 keys); this one has %(count)d.",
                count=len(value),
            )
        )
    return value


def fingerprint_version(value: str) -> int | None:
    """4 for a v4 fingerprint, 6 for a 64-digit one (v5 and v6 keys share the length)."""
    return FINGERPRINT_LENGTHS.get(len(value))


def grouped_fingerprint(value: str) -> str:
    """In groups of four, as key tools print them: "ABCD 1234 ..."."""
    return " ".join(value[start : start + 4] for start in range(0, len(value), 4))


# E.164 allows 15 digits; people type spaces, dots, hyphens and brackets between them.
_PHONE_CHARACTERS = re.compile(r"\+?[0-9 ().\-]{4,30}")


def clean_phone(text: str) -> str:
    """The number in E.164 ("+56221234567"): international, with its country code."""
    text = (text or "").strip()
    if not _PHONE_CHARACTERS.fullmatch(text) or not text.startswith("+"):
        raise ValueError(
            _l(
                "Write the number in international format, starting with + and the country "
                "code, e.g. +56 2 2345 6789."
            )
        )
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValueError(
            _l("This is not a valid phone number for its country code; check its digits.")
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def readable_phone(value: str) -> str:
    """The stored E.164 number as people read it: "+56 2 2345 6789"."""
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_uri(value: str) -> str:
    """The RFC 3966 tel: URI of the stored number."""
    return f"tel:{value}"

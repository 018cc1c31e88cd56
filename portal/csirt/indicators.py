"""Indicators of compromise, each checked by its type and written in one canonical form.

A value is refused with a sentence saying what is wrong: too long, not plain ASCII (an
internationalised domain is written in its xn-- form, a URL percent-encodes the rest), or
not of its type's shape. What passes is what the STIX and MISP exports put in patterns.
"""

import ipaddress
import re
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l

from portal.csirt.models import IndicatorType

MAX_LENGTH = {IndicatorType.URL: 2048, IndicatorType.DOMAIN: 253, IndicatorType.EMAIL: 254}
DEFAULT_MAX_LENGTH = 100
MAX_INDICATORS = 200

TYPE_LABELS = {
    IndicatorType.CVE: _l("CVE identifier"),
    IndicatorType.DOMAIN: _l("Domain"),
    IndicatorType.URL: _l("URL"),
    IndicatorType.IPV4: _l("IPv4 address or CIDR block"),
    IndicatorType.IPV6: _l("IPv6 address or CIDR block"),
    IndicatorType.EMAIL: _l("E-mail address"),
    IndicatorType.MD5: _l("MD5 hash"),
    IndicatorType.SHA1: _l("SHA-1 hash"),
    IndicatorType.SHA256: _l("SHA-256 hash"),
}

_CVE = re.compile(r"CVE-(19|20)\d\d-\d{4,19}", re.ASCII)
_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_DOMAIN = re.compile(rf"{_LABEL}(\.{_LABEL})*\.(?!-)[a-z0-9-]*[a-z][a-z0-9-]*(?<!-)", re.ASCII)
_LOCAL_PART = re.compile(r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*", re.ASCII)
_HEX_LENGTHS = {IndicatorType.MD5: 32, IndicatorType.SHA1: 40, IndicatorType.SHA256: 64}
URL_SCHEMES = ("http", "https", "ftp")


class InvalidIndicator(ValueError):
    """A value that is not of its type; `message` says why, in the reader's language."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


def clean_indicator(kind: IndicatorType, raw: str) -> str:
    """The value in its canonical form, or InvalidIndicator saying what is wrong."""
    value = (raw or "").strip()
    if not value:
        raise InvalidIndicator(_l("The value is empty."))
    limit = MAX_LENGTH.get(kind, DEFAULT_MAX_LENGTH)
    if len(value) > limit:
        raise InvalidIndicator(_l("The value is too long (at most %(max)d characters).", max=limit))
    if not value.isascii() or not value.isprintable():
        raise InvalidIndicator(
            _l(
                "Use plain ASCII characters: write an internationalised domain in its "
                "xn-- form and percent-encode other characters."
            )
        )
    return _CHECKS[kind](value)


def _cve(value: str) -> str:
    value = value.upper()
    if not _CVE.fullmatch(value):
        raise InvalidIndicator(_l("Write a CVE identifier as CVE-YYYY-NNNN (e.g. CVE-2024-3094)."))
    return value


def _domain(value: str) -> str:
    value = value.lower().rstrip(".")
    if len(value) > 253 or not _DOMAIN.fullmatch(value):
        raise InvalidIndicator(_l("This is not a domain name (e.g. malicious.example)."))
    return value


def _url(value: str) -> str:
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError as error:
        raise InvalidIndicator(
            _l("This is not a URL (e.g. https://malicious.example/x).")
        ) from error
    if parts.scheme.lower() not in URL_SCHEMES or not host or " " in value:
        raise InvalidIndicator(
            _l("Write a full http, https or ftp URL (e.g. https://malicious.example/x).")
        )
    try:
        ipaddress.ip_address(host)
    except ValueError:
        _domain(host)
    return value


def _network(version: int):
    def check(value: str) -> str:
        try:
            if "/" in value:
                network = ipaddress.ip_network(value, strict=True)
                text = str(network)
            else:
                network = ipaddress.ip_address(value)
                text = str(network)
        except ValueError as error:
            raise InvalidIndicator(_wrong_network(version, value)) from error
        if network.version != version:
            raise InvalidIndicator(_wrong_network(version, value))
        return text

    return check


def _wrong_network(version: int, value: str):
    if "/" in value:
        return _l(
            "This is not an IPv%(version)d CIDR block (its host bits must be zero, e.g. "
            "%(example)s).",
            version=version,
            example="192.0.2.0/24" if version == 4 else "2001:db8::/32",
        )
    return _l(
        "This is not an IPv%(version)d address (e.g. %(example)s).",
        version=version,
        example="192.0.2.10" if version == 4 else "2001:db8::10",
    )


def _email(value: str) -> str:
    local, at, domain = value.rpartition("@")
    if not at or not local or len(local) > 64 or not _LOCAL_PART.fullmatch(local.lower()):
        raise InvalidIndicator(
            _l("This is not an e-mail address (e.g. phishing@malicious.example).")
        )
    try:
        domain = _domain(domain)
    except InvalidIndicator as error:
        raise InvalidIndicator(
            _l("This is not an e-mail address (e.g. phishing@malicious.example).")
        ) from error
    return f"{local}@{domain}"


def _hash(kind: IndicatorType):
    length = _HEX_LENGTHS[kind]

    def check(value: str) -> str:
        if len(value) != length or not re.fullmatch(r"[0-9a-fA-F]+", value, re.ASCII):
            raise InvalidIndicator(
                _l(
                    "A %(name)s hash is %(length)d hexadecimal characters (0-9, a-f).",
                    name=kind.value.upper().replace("SHA", "SHA-"),
                    length=length,
                )
            )
        return value.lower()

    return check


_CHECKS = {
    IndicatorType.CVE: _cve,
    IndicatorType.DOMAIN: _domain,
    IndicatorType.URL: _url,
    IndicatorType.IPV4: _network(4),
    IndicatorType.IPV6: _network(6),
    IndicatorType.EMAIL: _email,
    IndicatorType.MD5: _hash(IndicatorType.MD5),
    IndicatorType.SHA1: _hash(IndicatorType.SHA1),
    IndicatorType.SHA256: _hash(IndicatorType.SHA256),
}


def parse_indicator_lines(text: str) -> list[tuple[IndicatorType, str]]:
    """The indicators of a form's text, one "type value" a line; InvalidIndicator names the
    line that is wrong."""
    found: list[tuple[IndicatorType, str]] = []
    lines = [line.strip() for line in (text or "").splitlines()]
    for number, line in enumerate(lines, start=1):
        if not line:
            continue
        kind_text, _, raw = line.partition(" ")
        try:
            kind = IndicatorType(kind_text.strip().lower())
        except ValueError as error:
            raise InvalidIndicator(
                _l(
                    "Line %(line)d: start with the type, one of %(types)s.",
                    line=number,
                    types=", ".join(t.value for t in IndicatorType),
                )
            ) from error
        try:
            found.append((kind, clean_indicator(kind, raw)))
        except InvalidIndicator as error:
            raise InvalidIndicator(
                _l("Line %(line)d: %(problem)s", line=number, problem=error.message)
            ) from error
        if len(found) > MAX_INDICATORS:
            raise InvalidIndicator(_l("At most %(max)d indicators.", max=MAX_INDICATORS))
    return list(dict.fromkeys(found))

"""Tokens in links: random single-use ones (the database keeps only their hash), and signed
ones that carry their own data (nothing stored; valid while SECRET_KEY is).
"""

import hashlib
import secrets

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer


def new_token() -> tuple[str, str]:
    """A fresh URL-safe token and the hash to store for it."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def signed_token(purpose: str, payload: dict) -> str:
    """A URL-safe token carrying `payload`, signed with SECRET_KEY for one purpose only."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=purpose).dumps(payload)


def read_signed_token(purpose: str, token: str) -> dict | None:
    """The payload of a token signed for `purpose`, or None when forged or meant elsewhere."""
    try:
        payload = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=purpose).loads(token)
    except BadSignature:
        return None
    return payload if isinstance(payload, dict) else None

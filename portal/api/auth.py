"""Who an API request comes from: the bearer token, never a session cookie; and how often.

Runs before the other features' request hooks (the API is declared before them), so that
they and every access rule see the token's person as the current user, and the browser
session of the same client plays no part: no cookie is read, none is set, no CSRF token is
asked (the token in a header is not sent by a browser on its own).
"""

import logging
import time

from flask import Flask, current_app, g, request
from flask_babel import gettext as _
from limits import parse
from limits.errors import StorageError
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from portal.api import access, services
from portal.api.problems import problem
from portal.core.extensions import db, login_manager

log = logging.getLogger(__name__)

EXTENSION = "portal.api_rate_limiter"
# The description and its page need no token: they say what the API is, not what it holds.
OPEN_ENDPOINTS = frozenset({"api.openapi", "api.documentation"})


def init_rate_limiter(app: Flask) -> None:
    storage = storage_from_string(
        app.config["RATELIMIT_STORAGE_URI"],
        key_prefix="portal-api",
        wrap_exceptions=True,
        **app.config.get("RATELIMIT_STORAGE_OPTIONS", {}),
    )
    app.extensions[EXTENSION] = MovingWindowRateLimiter(storage)


def _over_limit(key: str):
    """A 429 problem when `key` has used up API_RATE_LIMIT, else None (and the hit counted)."""
    limiter = current_app.extensions[EXTENSION]
    item = parse(current_app.config["API_RATE_LIMIT"])
    try:
        if limiter.hit(item, key):
            return None
        reset_at = limiter.get_window_stats(item, key).reset_time
    except StorageError:
        log.exception("API rate limit store unreachable; the request is not limited")
        return None
    wait = max(1, int(reset_at - time.time()) + 1)
    return problem(429, headers={"Retry-After": str(wait)})


def authenticate_api_request():
    """before_request hook for the API: the token's person, or a 401/403/429 problem."""
    if request.blueprint != "api" or request.endpoint in OPEN_ENDPOINTS:
        return None
    g._login_user = login_manager.anonymous_user()
    scheme, _space, secret = request.headers.get("Authorization", "").partition(" ")
    token = None
    if scheme.lower() == "bearer" and secret.strip():
        token = services.token_for(db.session, secret.strip())
    if token is None:
        return _over_limit(f"address:{request.remote_addr}") or problem(401)
    refused = _over_limit(f"token:{token.id}")
    if refused is not None:
        return refused
    if not access.token_allows(token, request.method):
        return problem(403, _("This token may only read: create a read-write token to change."))
    g._login_user = token.user
    g.api_token = token
    return None

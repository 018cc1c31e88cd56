"""Per-request plumbing: request ids, one transaction per request, security headers."""

import re
import secrets

from flask import Flask, current_app, g, make_response, request
from flask.wrappers import Response
from sqlalchemy.exc import IntegrityError

from portal.core.extensions import db
from portal.web.after_response import register_after_response
from portal.web.error_handlers import (
    handle_database_down,
    handle_simultaneous_change,
    is_connection_error,
)

# app.extensions key: callables run after a request's changes have committed.
AFTER_COMMIT = "portal.after_commit"

_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def assign_request_id() -> None:
    """Take the load balancer's request id when it looks like one, else make one."""
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if _REQUEST_ID.match(incoming) else secrets.token_hex(8)


def commit_unless_failed(response: Response) -> Response:
    """The one commit of a request: its changes land only if it answered without error.

    Work that must see the committed changes (app.extensions[AFTER_COMMIT]) runs next. The
    connection lost at any point of it answers the 503 page, like anywhere in the request.
    """
    try:
        if response.status_code >= 400:
            db.session.rollback()
            return response
        try:
            db.session.commit()
        except IntegrityError as error:  # a unique key met at commit: someone was faster
            return make_response(handle_simultaneous_change(error))
        for task in current_app.extensions.get(AFTER_COMMIT, ()):
            task()
    except Exception as error:
        if not is_connection_error(error):
            raise
        return make_response(handle_database_down(error))
    return response


# Each response's headers unless a view set its own (name in lower case, name, value).
SECURITY_HEADERS = tuple(
    (name.lower(), name, value)
    for name, value in (
        (
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            "frame-ancestors 'none'",
        ),
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    )
)
HSTS = (
    "strict-transport-security",
    "Strict-Transport-Security",
    "max-age=31536000; includeSubDomains",
)
NO_STORE = ("cache-control", "Cache-Control", "no-store")


def add_security_headers(response: Response) -> Response:
    """The headers above where the response has none of that name: the names present are
    read once (Headers.setdefault scanned them for each)."""
    defaults = list(SECURITY_HEADERS)
    if current_app.config.get("HSTS_ENABLED"):
        defaults.append(HSTS)
    if request.endpoint and not request.endpoint.endswith("static"):
        defaults.append(NO_STORE)
    headers = response.headers
    present = {name.lower() for name, _ in headers}
    headers.extend([(name, value) for lower, name, value in defaults if lower not in present])
    if "request_id" in g:
        headers["X-Request-ID"] = g.request_id
    return response


def register_http_hooks(app: Flask) -> None:
    app.before_request(assign_request_id)
    register_after_response(app)  # runs last: whatever the others did, deferred work is kept
    app.after_request(add_security_headers)
    app.after_request(commit_unless_failed)  # runs first: after_request runs in reverse

"""Error pages in the reader's language: no stack traces, a request id to quote instead."""

import logging

import psycopg
from flask import Flask, current_app, flash, g, redirect, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import (
    DataError,
    DBAPIError,
    IntegrityError,
    InterfaceError,
    OperationalError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, SecurityError

from portal.core import errors, ports
from portal.core.extensions import db, login_manager
from portal.web.after_response import after_response
from portal.web.submissions import AlreadySubmitted

log = logging.getLogger(__name__)

TITLES = {
    400: _l("The request could not be understood"),
    403: _l("You may not do this"),
    404: _l("Page not found"),
    405: _l("This action is not available here"),
    409: _l("This conflicts with a change already made"),
    413: _l("The file is too large"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong on our side"),
    503: _l("The portal is briefly unavailable"),
}

EXPLANATIONS = {
    400: _l("Go back, check what you entered and try again."),
    403: _l(
        "Your role does not allow this action. Ask your delegation's coordinator if you need it."
    ),
    404: _l("The page does not exist, or you do not have access to it."),
    405: _l("Go back and use the buttons on the page."),
    409: _l("Reload the page to see the current state and try again."),
    413: _l("Send a smaller file."),
    429: _l("Wait a few minutes before trying again."),
    500: _l("The error has been logged. If it happens again, quote the reference below."),
    503: _l("The database is not answering. Try again in a minute."),
}


# app.extensions key: {path prefix: answer(status, message)} for parts of the site that answer
# errors in their own format (the JSON API's problem details) instead of an HTML page.
ERROR_FORMATS = "portal.error_formats"


def error_page(status: int, message: str | None = None):
    db.session.rollback()
    for prefix, answer in current_app.extensions.get(ERROR_FORMATS, {}).items():
        if request.path.startswith(prefix):
            return answer(status, message)
    return (
        render_template(
            "errors/error.html",
            status=status,
            title=TITLES.get(status, TITLES[500]),
            explanation=message or EXPLANATIONS.get(status, EXPLANATIONS[500]),
            request_id=g.get("request_id"),
        ),
        status,
    )


def handle_not_found(error: errors.NotFound):
    """Missing and denied answer the same page after the same work: the denial is audited
    once the page has been sent (SECURITY 14), so it cannot be timed."""
    if isinstance(error, errors.Denied):
        after_response(_denial_recorder(error, current_user.get_id()))
    return error_page(404, error.message or None)


def _denial_recorder(error: errors.Denied, actor_id: str | None):
    def record_denial(session) -> None:
        if (
            isinstance(error, errors.NotVisible)
            and session.get(error.model, error.object_id) is None
        ):
            return  # it was missing, not denied
        ports.record_denial(
            session, actor_id=actor_id, object_type=error.object_type, object_id=error.object_id
        )

    return record_denial


def handle_forbidden(error: errors.Forbidden):
    return error_page(403, error.message or None)


def handle_conflict(error: errors.Conflict):
    return error_page(409, error.message or None)


def handle_service_error(error: errors.ServiceError):
    return error_page(400, error.message or None)


def handle_csrf(error: CSRFError):
    return error_page(
        400,
        str(_l("The form had expired or was sent from elsewhere. Reload the page and try again.")),
    )


def handle_untrusted_host(error: SecurityError):
    """A Host outside TRUSTED_HOSTS: no page can be built for it, so answer in plain text."""
    return "Bad request: unknown host.", 400, {"Content-Type": "text/plain; charset=utf-8"}


def handle_http(error: HTTPException):
    return error_page(error.code or 500)


# Raised when the server or the connection to it is gone (restarted, killed, unreachable);
# psycopg's own are caught too, for errors raised outside SQLAlchemy's wrapping; no pooled
# connection free within DATABASE_POOL_TIMEOUT is the same to the reader.
CONNECTION_ERRORS = (
    OperationalError,
    PoolTimeout,
    InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)


def is_connection_error(error: Exception) -> bool:
    return isinstance(error, CONNECTION_ERRORS) or bool(
        getattr(error, "connection_invalidated", False)
    )


def handle_database_down(error: Exception):
    log.error("database unavailable: %s (request %s)", type(error).__name__, g.get("request_id"))
    # Render as anonymous: loading the account would ask the database again.
    g._login_user = login_manager.anonymous_user()
    _discard_transaction()
    return error_page(503)


def _discard_transaction() -> None:
    """Roll back what the lost connection held; the pool hands out a live one next time."""
    try:
        db.session.rollback()
    except DBAPIError:
        db.session.close()


def handle_database_error(error: DBAPIError):
    """Any other error from the database driver: a lost connection is a 503, the rest a 500."""
    if is_connection_error(error):
        return handle_database_down(error)
    return handle_unexpected(error)


def show_first_submission(error: AlreadySubmitted):
    """The same form came again: show what its first submission made, make nothing more."""
    db.session.rollback()
    flash(error.message, "info")
    return redirect(error.page)


def handle_unstorable_value(error: DataError):
    """A value the database refuses (a NUL in text, a number out of range): the input's fault."""
    log.warning("value refused by the database (request %s)", g.get("request_id"))
    return error_page(400)


def handle_simultaneous_change(error: IntegrityError):
    """Two people saved the same thing at the same moment and a unique key stopped the second
    (on PostgreSQL row locks mostly prevent it; SQLite, used in development, has none)."""
    log.warning("simultaneous change refused: %s (request %s)", error.orig, g.get("request_id"))
    db.session.rollback()  # before anything reads the account (its language) again
    return error_page(
        409, str(_l("Someone else changed this at the same moment. Reload the page and try again."))
    )


def handle_unexpected(error: Exception):
    log.exception("unhandled error (request %s)", g.get("request_id"))
    return error_page(500)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(errors.NotFound, handle_not_found)
    app.register_error_handler(errors.Forbidden, handle_forbidden)
    app.register_error_handler(errors.Conflict, handle_conflict)
    app.register_error_handler(errors.ServiceError, handle_service_error)
    app.register_error_handler(AlreadySubmitted, show_first_submission)
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(SecurityError, handle_untrusted_host)
    app.register_error_handler(HTTPException, handle_http)
    for connection_error in CONNECTION_ERRORS:
        app.register_error_handler(connection_error, handle_database_down)
    app.register_error_handler(DBAPIError, handle_database_error)
    app.register_error_handler(DataError, handle_unstorable_value)
    app.register_error_handler(IntegrityError, handle_simultaneous_change)
    app.register_error_handler(Exception, handle_unexpected)

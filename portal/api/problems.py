"""Errors of the API as problem details (RFC 9457, application/problem+json).

The portal's error handlers (portal/web/error_handlers.py) answer every error under /api/
through `problem` instead of an HTML page, so a missing or hidden object, a refusal, a
conflict, a failure or a route that does not exist all answer in this one format, after the
same work as on the pages (a denial is still audited after the response).
"""

from http import HTTPStatus

from flask import g, jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import UnprocessableEntity

from portal.core.errors import ValidationError
from portal.core.extensions import db

PROBLEM_TYPE = "application/problem+json"
# RFC 9457: "about:blank" says the status code's own meaning is the whole explanation.
ABOUT_BLANK = "about:blank"

DETAILS = {
    401: lambda: _("Send a valid, unexpired API token as 'Authorization: Bearer <token>'."),
    403: lambda: _("Your role or your token's scope does not allow this."),
    404: lambda: _("It does not exist, or you do not have access to it."),
    405: lambda: _("This method is not available on this address."),
    429: lambda: _("Too many requests: wait before trying again."),
    500: lambda: _("The error has been logged; quote the request id if it happens again."),
}


def problem(status: int, detail: str | None = None, *, errors: list | None = None, headers=None):
    """A problem details response; nothing of the request is committed."""
    db.session.rollback()
    body = {
        "type": ABOUT_BLANK,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail or (DETAILS[status]() if status in DETAILS else HTTPStatus(status).phrase),
        "instance": request.path,
    }
    if errors:
        body["errors"] = errors
    if "request_id" in g:
        body["request_id"] = g.request_id
    response = jsonify(body)
    response.status_code = status
    response.content_type = PROBLEM_TYPE
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="portal"'
    response.headers.extend(headers or {})
    return response


def invalid_input(error: UnprocessableEntity):
    """What the schema refused (webargs puts it in error.data): each field and its messages."""
    messages = getattr(error, "data", {}).get("messages", {})
    errors = [
        {"location": location, "field": field, "messages": _flatten(found)}
        for location, fields in messages.items()
        for field, found in (fields.items() if isinstance(fields, dict) else [("", fields)])
    ]
    return problem(422, _("The request has invalid fields."), errors=errors)


def refused_by_rule(error: ValidationError):
    """A domain rule the service checks (an owner outside the MoU, a forbidden transition)."""
    return problem(422, error.message, errors=[{"field": error.field, "messages": [error.message]}])


def _flatten(found) -> list[str]:
    if isinstance(found, dict):
        return [f"{key}: {message}" for key, value in found.items() for message in _flatten(value)]
    if isinstance(found, list):
        return [message for item in found for message in _flatten(item)]
    return [str(found)]

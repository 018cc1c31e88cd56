"""Deny by default: every route needs a login unless its view is marked public here."""

from collections.abc import Callable

from flask import current_app, request
from flask_login import current_user

from portal.core.extensions import login_manager


def public(view: Callable) -> Callable:
    """Mark a view as reachable without logging in."""
    view.is_public = True
    return view


def is_public_endpoint(endpoint: str | None) -> bool:
    if endpoint is None:
        return True  # no route matched: the 404 handler answers
    if endpoint == "static" or endpoint.endswith(".static"):
        return True
    view = current_app.view_functions.get(endpoint)
    return bool(getattr(view, "is_public", False))


def require_login():
    """before_request hook: send anonymous visitors of non-public pages to the login page."""
    if is_public_endpoint(request.endpoint) or current_user.is_authenticated:
        return None
    return login_manager.unauthorized()

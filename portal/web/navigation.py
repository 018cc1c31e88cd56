"""The navigation bar of every page, rendered once per language and account.

It is the same on every request of a person but for the form token and the current path,
which are filled in afterwards: rendering it each time cost about as much as a whole stored
meeting page. Everything it shows of the account is part of the key, so a renamed person or
a changed role gets a new bar at once.
"""

from functools import lru_cache

from flask import render_template, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from portal.core.i18n import current_language

# The separator character never comes out of escaped text.
_CSRF, _NEXT = "\x1fcsrf\x1f", "\x1fnext\x1f"


def navbar() -> Markup:
    html = _render_navbar(current_language(), _account_key())
    next_path = request.full_path if request.method == "GET" else "/"
    html = html.replace(_CSRF, escape(generate_csrf())).replace(_NEXT, escape(next_path))
    return Markup(html)  # noqa: S704 - rendered by the template, the fillings escaped  # nosec B704


def _account_key() -> tuple | None:
    user = current_user
    if not user.is_authenticated:
        return None
    return (user.id, user.name, user.party.code if user.party else None, user.role, user.is_admin)


@lru_cache(maxsize=1024)
def _render_navbar(language: str, account: tuple | None) -> str:
    """Rendered for the current request's reader, whom (language, account) describe."""
    return render_template("_navbar.html", csrf=_CSRF, next_path=_NEXT)

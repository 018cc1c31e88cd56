"""The navigation bar of every page, kept per language and account (portal/core/kept).

It is the same on every request of a person but for the form token and the current path,
left as slots and filled in afterwards: rendering it each time cost about as much as a
whole stored meeting page. Everything it shows of the account is part of the key, so a
renamed person or a changed role gets a new bar at once.
"""

from flask import render_template, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from portal.core.extensions import db
from portal.core.i18n import current_language
from portal.core.kept import HTML_SLOTS, ProcessStore

NAVBARS = ProcessStore("navbars", size=1024)


def navbar() -> Markup:
    key = (current_language(), _account_key())
    parts = NAVBARS.get(db.session, key, _render_navbar)
    next_path = request.full_path if request.method == "GET" else "/"
    return HTML_SLOTS.fill(parts, {"csrf": generate_csrf(), "next": next_path})


def _account_key() -> tuple | None:
    user = current_user
    if not user.is_authenticated:
        return None
    return (user.id, user.name, user.party.code if user.party else None, user.role, user.is_admin)


def _render_navbar() -> list[str]:
    """Rendered for the current request's reader, whom the key describes; kept split."""
    html = render_template(
        "_navbar.html", csrf=HTML_SLOTS.slot("csrf"), next_path=HTML_SLOTS.slot("next")
    )
    return HTML_SLOTS.split(html)

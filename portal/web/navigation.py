"""The navigation bar of every page, kept per language and account (portal/core/kept).

It is the same on every request of a person but for the form token, the current path and
which of its links is the page being shown (`aria-current`), left as slots and filled in
afterwards: rendering it each time cost about as much as a
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
CURRENT_PAGE = Markup(' aria-current="page"')
CURRENT_SECTION = Markup(' aria-current="true"')


def navbar() -> Markup:
    key = (current_language(), _account_key())
    parts = NAVBARS.get(db.session, key, _render_navbar)
    next_path = request.full_path if request.method == "GET" else "/"
    fillings = {
        "csrf": generate_csrf(),
        "next": next_path,
        "current": _mark_current_page,
        "section": _mark_current_section,
    }
    return HTML_SLOTS.fill(parts, fillings)


def _mark_current_page(endpoint: str) -> Markup | str:
    """The attribute of the link to the page being shown (WCAG 2.4.8, the reader's place)."""
    return CURRENT_PAGE if endpoint == request.endpoint else ""


def _mark_current_section(endpoints: str) -> Markup | str:
    """The attribute of a menu's toggle when one of its pages (comma-separated) is shown."""
    return CURRENT_SECTION if request.endpoint in endpoints.split(",") else ""


def _account_key() -> tuple | None:
    user = current_user._get_current_object()  # once: each use of the proxy looks it up again
    if not user.is_authenticated:
        return None
    return (user.id, user.name, user.party.code if user.party else None, user.role, user.is_admin)


def _render_navbar() -> list[str]:
    """Rendered for the current request's reader, whom the key describes; kept split."""
    html = render_template(
        "_navbar.html",
        csrf=HTML_SLOTS.slot("csrf"),
        next_path=HTML_SLOTS.slot("next"),
        current_page=lambda endpoint: HTML_SLOTS.slot("current", endpoint),
        current_section=lambda links: HTML_SLOTS.slot(
            "section", ",".join(link.endpoint for link in links)
        ),
    )
    return HTML_SLOTS.split(html)

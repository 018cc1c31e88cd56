"""The minutes' buttons of a viewer (templates/meetings/_minutes_actions.html), on the meeting's
page and its management page.

They differ by which buttons the viewer has and, on the approving one, by their party's
name; never by meeting but for its addresses. So they are drawn once per language and set
of buttons (the name in the key: a renamed party is a new drawing), the addresses and the
form token left as slots put in for each request.
"""

from flask import render_template, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from portal.core.extensions import db
from portal.core.i18n import current_language, localized
from portal.core.kept import HTML_SLOTS, ProcessStore

DRAWINGS = ProcessStore("minutes-actions", size=256)

# Each button's slot and the endpoint of its address.
ENDPOINTS = {
    "minutes": "meetings.minutes",
    "reopen": "meetings.reopen_minutes",
    "circulate": "meetings.circulate_minutes",
    "approve": "meetings.approve_minutes",
}


def minutes_actions(meeting_id: int, summary: dict) -> Markup:
    """The buttons of `summary` (minutes_reading.buttons_for; empty for a reader who only
    reads) for the meeting, outside the minutes' own page."""
    shown = tuple(sorted(name for name, allowed in summary.items() if allowed))
    party = localized(current_user.party, "name") if summary.get("can_approve") else None
    drawing = DRAWINGS.get(
        db.session, (current_language(), shown, party), lambda: HTML_SLOTS.split(_draw(summary))
    )
    fillings = {
        name: (lambda _, endpoint=endpoint: url_for(endpoint, meeting_id=meeting_id))
        for name, endpoint in ENDPOINTS.items()
    }
    return HTML_SLOTS.fill(drawing, {**fillings, "csrf": lambda _: generate_csrf()})


def _draw(summary: dict) -> Markup:
    html = render_template(
        "meetings/_minutes_actions.html",
        meeting_id=None,
        summary=summary,
        on_minutes_page=False,
        urls={name: HTML_SLOTS.slot(name) for name in ENDPOINTS},
        csrf=HTML_SLOTS.slot("csrf"),
    )
    return Markup(html)  # noqa: S704 - rendered by the template, escaped  # nosec B704

"""The sections other features add to the working group's and the MoU's pages.

Each feature declares its panels (`group_panels`, `mou_panels` in portal.web.features); the
pages render them here, for the person reading, on every request: what a panel lists goes
through its feature's access rules (the documents a reader may open, whether they may create
an item), so it is never kept for another reader (portal/mous/group_page.py keeps the rest).
"""

from flask import current_app, render_template
from markupsafe import Markup
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.web.features import PagePanel, group_panels, mou_panels


def _render(session: Session, reader: User, panels: list[PagePanel], name: str, subject) -> Markup:
    """Each panel's partial with the page's object under `name` and the panel's own context."""
    parts = []
    for panel in panels:
        context = {name: subject, **panel.context(session, reader, subject)}
        parts.append(render_template(panel.template, **context))
    return Markup("".join(parts))  # noqa: S704 - rendered templates, escaped  # nosec B704


def render_group_panels(session: Session, reader: User, group) -> Markup:
    """The declared panels of a working group's page, in their order, for `reader`."""
    return _render(session, reader, group_panels(current_app), "group", group)


def render_mou_panels(session: Session, reader: User, mou) -> Markup:
    """The declared panels of an MoU's page, in their order, for `reader`."""
    return _render(session, reader, mou_panels(current_app), "mou", mou)

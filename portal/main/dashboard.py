"""The dashboard: what needs the reader's attention, then the panels the features declare
(portal.web.features), each in their order.

Each panel is a short preview linking to its full, paged list; every panel's query keeps the
access clause of its feature, so nothing the reader may not see is counted or listed.
"""

from flask import current_app, render_template
from markupsafe import Markup
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.web.features import AttentionItem, attention_items, dashboard_panels


def render_panels(session: Session, reader: User) -> list[Markup]:
    """Each declared panel's partial rendered with its own context, for `reader`."""
    return [
        Markup(render_template(panel.template, **panel.context(session, reader)))  # noqa: S704 - a rendered template  # nosec B704
        for panel in dashboard_panels(current_app)
    ]


def needs_attention(session: Session, reader: User) -> list[AttentionItem]:
    """Every feature's lines of "Needs your attention" for `reader`, in their order."""
    return attention_items(current_app, session, reader)

"""The dashboard: the panels the features declare (portal.web.features), in their order.

Each panel is a short preview linking to its full, paged list; every panel's query keeps the
access clause of its feature, so nothing the reader may not see is counted or listed.
"""

from flask import current_app, render_template
from markupsafe import Markup
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.web.features import dashboard_panels


def render_panels(session: Session, reader: User) -> list[Markup]:
    """Each declared panel's partial rendered with its own context, for `reader`."""
    return [
        Markup(render_template(panel.template, **panel.context(session, reader)))  # noqa: S704 - a rendered template  # nosec B704
        for panel in dashboard_panels(current_app)
    ]

"""The dashboard: what needs the reader's attention, then the panels the features declare
(portal.web.features), each in their order.

Each panel is a short preview linking to its full, paged list; every panel's query keeps the
access clause of its feature, so nothing the reader may not see is counted or listed. A panel
whose context names under `kept` everything its partial shows (its rows as read, the day it
compares them with) is rendered once per such value, language and zone (`PANELS`): another
reader's rows, a change or a day passing give another key, so it shows at once.
"""

from flask import current_app, render_template
from markupsafe import Markup
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.core.i18n import current_language, select_timezone
from portal.core.kept import ProcessStore
from portal.web.features import AttentionItem, attention_items, dashboard_panels

PANELS = ProcessStore("dashboard-panels", size=2048)


def render_panels(session: Session, reader: User) -> list[Markup]:
    """Each declared panel's partial rendered with its own context, for `reader`."""
    parts = []
    for panel in dashboard_panels(current_app):
        context = panel.context(session, reader)
        kept = context.pop("kept", None)
        if kept is None:
            parts.append(_render(panel.template, context))
            continue
        key = (panel.template, kept, current_language(), select_timezone())
        parts.append(PANELS.get(session, key, lambda: _render(panel.template, context)))  # noqa: B023 - called at once
    return parts


def _render(template: str, context: dict) -> Markup:
    return Markup(render_template(template, **context))  # noqa: S704 - a rendered template  # nosec B704


def needs_attention(session: Session, reader: User) -> list[AttentionItem]:
    """Every feature's lines of "Needs your attention" for `reader`, in their order."""
    return attention_items(current_app, session, reader)

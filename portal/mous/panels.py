"""The sections other features add to the working group's and the MoU's pages.

Each feature declares its panels (`group_panels`, `mou_panels` in portal.web.features); the
pages ask for their context here, for the person reading, on every request: what a panel lists
goes through its feature's access rules (the documents a reader may open, whether they may
create an item). A panel whose context names under `kept` everything it shows for this reader
(its rows as read, its links and buttons) is rendered once per such value, page object,
language and zone (`PANELS`): another reader, or a change, gives other rows and another key.
"""

from flask import current_app, render_template
from markupsafe import Markup
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.core.i18n import current_language, select_timezone
from portal.core.kept import ProcessStore
from portal.core.together import read_together
from portal.web.features import PagePanel, group_panels, mou_panels

PANELS = ProcessStore("page-panels", size=2048)


def _render(session: Session, reader: User, panels: list[PagePanel], name: str, subject) -> Markup:
    """Each panel's partial with the page's object under `name` and the panel's own context."""
    parts = []
    read_contexts = _read_contexts(session, reader, panels, subject)
    for panel, read_context in zip(panels, read_contexts, strict=True):
        own = panel.context(session, reader, subject) if read_context is None else read_context
        context = {name: subject, **own}
        kept = context.pop("kept", None)
        if kept is None:
            parts.append(render_template(panel.template, **context))
            continue
        key = (panel.template, name, subject.id, kept, current_language(), select_timezone())
        parts.append(PANELS.get(session, key, _renderer(panel.template, context)))
    return Markup("".join(parts))  # noqa: S704 - rendered templates, escaped  # nosec B704


def _read_contexts(session: Session, reader: User, panels: list[PagePanel], subject) -> list:
    """The context of each panel that reads rows, from one statement for them all (None for
    the others, which read for themselves)."""
    reads = [panel.read(reader, subject) if panel.read else None for panel in panels]
    rows = iter(read_together(session, [read for read in reads if read is not None]))
    return [
        None
        if panel.read is None
        else panel.context(session, reader, subject, () if read is None else next(rows))
        for panel, read in zip(panels, reads, strict=True)
    ]


def _renderer(template: str, context: dict):
    return lambda: render_template(template, **context)


def render_group_panels(session: Session, reader: User, group) -> Markup:
    """The declared panels of a working group's page, in their order, for `reader`."""
    return _render(session, reader, group_panels(current_app), "group", group)


def render_mou_panels(session: Session, reader: User, mou) -> Markup:
    """The declared panels of an MoU's page, in their order, for `reader`."""
    return _render(session, reader, mou_panels(current_app), "mou", mou)

"""The sections other features add to the working group's and the MoU's pages.

Each feature declares its panels (`group_panels`, `mou_panels` in portal.web.features); the
pages ask for their context here, for the person reading, on every request: what a panel lists
goes through its feature's access rules (the documents a reader may open, whether they may
create an item). A panel whose context names under `kept` everything it shows for this reader
(its rows as read, its links and buttons) is rendered once per such value, page object,
language and zone (`PANELS`): another reader, or a change, gives other rows and another key.
"""

from collections.abc import Sequence

from flask import current_app, render_template
from markupsafe import Markup
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.core.i18n import current_language, select_timezone
from portal.core.kept import ProcessStore
from portal.core.together import Read, read_together
from portal.web.features import PagePanel, group_panels, mou_panels

PANELS = ProcessStore("page-panels", size=2048)
# What read_panels gives for a panel that declares no read: its context reads for itself.
NO_READ = None


def read_panels(
    session: Session,
    reader: User,
    panels: list[PagePanel],
    subject,
    also: Sequence[Read] = (),
) -> tuple[list[tuple], list]:
    """The rows of the page's own reads (`also`) and of each panel that reads rows, from one
    statement for them all: a statement costs more in the driver than the database spends on
    a panel's rows. Each panel's entry is its rows, or NO_READ for a panel that reads for
    itself."""
    reads = [panel.read(reader, subject) if panel.read else None for panel in panels]
    rows = read_together(session, [*also, *(read for read in reads if read is not None)])
    own, panel_rows = rows[: len(also)], iter(rows[len(also) :])
    return own, [
        NO_READ if panel.read is None else () if read is None else next(panel_rows)
        for panel, read in zip(panels, reads, strict=True)
    ]


def _render(
    session: Session, reader: User, panels: list[PagePanel], name: str, subject, rows: list
) -> Markup:
    """Each panel's partial with the page's object under `name` and the panel's own context."""
    parts = []
    for panel, panel_rows in zip(panels, rows, strict=True):
        if panel_rows is NO_READ:
            own = panel.context(session, reader, subject)
        else:
            own = panel.context(session, reader, subject, panel_rows)
        context = {name: subject, **own}
        kept = context.pop("kept", None)
        if kept is None:
            parts.append(render_template(panel.template, **context))
            continue
        key = (panel.template, name, subject.id, kept, current_language(), select_timezone())
        parts.append(PANELS.get(session, key, _renderer(panel.template, context)))
    return Markup("".join(parts))  # noqa: S704 - rendered templates, escaped  # nosec B704


def _renderer(template: str, context: dict):
    return lambda: render_template(template, **context)


def render_group_panels(session: Session, reader: User, group, rows: list | None = None) -> Markup:
    """The declared panels of a working group's page, in their order, for `reader` (`rows`:
    read_panels' for them, if read already)."""
    panels = group_panels(current_app)
    if rows is None:
        _, rows = read_panels(session, reader, panels, group)
    return _render(session, reader, panels, "group", group, rows)


def render_mou_panels(session: Session, reader: User, mou) -> Markup:
    """The declared panels of an MoU's page, in their order, for `reader`."""
    panels = mou_panels(current_app)
    _, rows = read_panels(session, reader, panels, mou)
    return _render(session, reader, panels, "mou", mou, rows)

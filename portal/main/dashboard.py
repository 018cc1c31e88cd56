"""The dashboard: what needs the reader's attention, then the panels the features declare
(portal.web.features), each in their order.

Each panel is a short preview linking to its full, paged list; every panel's query keeps the
access clause of its feature, so nothing the reader may not see is counted or listed. A panel
whose context names under `kept` everything its partial shows (its rows as read, the day it
compares them with) is rendered once per such value, language and zone (`PANELS`): another
reader's rows, a change or a day passing give another key, so it shows at once.

The reader's lines and panels together are kept for them (`KEPT`) under the dashboard's
generation, which every change they count raises in the same transaction (`GENERATION`,
declared below), the time of their last visit (what "new since your last visit" counts
from), the minute (what is overdue, due or closing soon, still to come) and everything of
the reader the statements read (id, role, party, address, language, zone). One short
statement reads the generation and the last visit first, so output made from data that
changed meanwhile carries the older generation and is never served again. Lines marked
`live` (rows written past the ORM) are counted every time.
"""

from functools import cache

from flask import current_app, render_template
from markupsafe import Markup
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from portal.accounts.models import Party, Role, User
from portal.accounts.sessions import previous_visit
from portal.actions.models import ActionItem
from portal.core.access import ParametricViewer, viewer_parameters
from portal.core.db import utcnow
from portal.core.i18n import current_language, select_timezone
from portal.core.kept import KeptGeneration, ProcessStore, Raises, declare, generation
from portal.csirt.models import Acknowledgement, Bulletin, CsirtMember
from portal.documents.models import Document
from portal.meetings.models import Invitee, Meeting, Minutes, MinutesApproval
from portal.mous.models import Membership, Mou, MouArea, WorkingGroup
from portal.polls.models import Poll, PollParticipant
from portal.trainings.models import Registration, Training, TrainingInvitation
from portal.web.features import AttentionItem, attentions, dashboard_panels

PANELS = ProcessStore("dashboard-panels", size=2048)
KEPT = ProcessStore("dashboard", size=1024)

NAME = "dashboard"

# Every model whose rows a line or a panel reads (their association tables change through
# their parents' collections: an MoU's parties, an item's owners, a document's or a
# bulletin's readers). The reader's own row is part of the key instead.
GENERATION = declare(
    KeptGeneration.generation,
    Raises(
        (
            Meeting,
            Invitee,
            Minutes,
            MinutesApproval,
            Poll,
            PollParticipant,
            ActionItem,
            Bulletin,
            CsirtMember,
            Acknowledgement,
            Training,
            Registration,
            TrainingInvitation,
            Document,
            Mou,
            MouArea,
            WorkingGroup,
            Membership,
            Party,
        ),
        stale=generation(NAME),
    ),
    at_commit=True,
)


def dashboard(session: Session, reader: User) -> tuple[list[AttentionItem], list[Markup]]:
    """The lines of "Needs your attention" and the rendered panels, for `reader`."""
    declared = attentions(current_app)
    state = session.execute(_state_statement(reader.role), viewer_parameters(reader)).first()
    if state is None:  # no generation row: nothing raises it, so nothing may be kept
        kept_lines, panels = _read(session, reader, declared)
    else:
        minute = utcnow().replace(second=0, microsecond=0)
        key = (
            tuple(state),
            minute,
            reader.id,
            reader.role,
            reader.party_id,
            reader.email,  # an external reader sees the trainings their address is invited to
            current_language(),
            select_timezone(),
        )
        kept_lines, panels = KEPT.get(session, key, lambda: _read(session, reader, declared))
    lines = []
    for attention, kept in zip(declared, kept_lines, strict=True):
        lines.extend(attention.items(session, reader) if kept is None else kept)
    return lines, list(panels)


@cache
def _state_statement(role: Role) -> Select:
    """The generation and the reader's last visit, built once per role."""
    reader = ParametricViewer(role)
    return select(KeptGeneration.generation, previous_visit(reader)).where(
        KeptGeneration.name == NAME
    )


def _read(session: Session, reader: User, declared: list) -> tuple[tuple, tuple[Markup, ...]]:
    """Each kept line (None in place of a live one) and each panel, for `reader`."""
    lines = tuple(
        None if attention.live else tuple(attention.items(session, reader))
        for attention in declared
    )
    return lines, tuple(render_panels(session, reader))


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

"""One object of every kind the search page finds, each holding the word "capacitaciones",
in the Chile–UK working group (or its MoU), and the same kinds in the Chile–Colombia group."""

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from portal.core.tlp import TLP
from portal.meetings.models import AgendaItem, Minutes
from tests import factories

WORD = "capacitaciones"


@pytest.fixture
def found(session, world, app):
    """The objects (ids), made through the models and the document service, committed."""
    ids = SimpleNamespace()
    meeting = factories.make_meeting(
        session,
        world.group,
        datetime(2026, 3, 10, 14, tzinfo=UTC),
        title_en="Training plan",
        title_es="Plan de capacitaciones",
        description_md="Review of the 2026 plan.",
    )
    session.add(AgendaItem(meeting=meeting, position=1, title="Calendario de capacitaciones"))
    # A meeting whose minutes (a draft) hold the word, not its title.
    recorded = factories.make_meeting(
        session, world.group, datetime(2026, 2, 10, 14, tzinfo=UTC), title_en="Monthly call"
    )
    session.add(Minutes(meeting=recorded, body_md="Se acordaron nuevas capacitaciones."))
    action = factories.make_action(
        session,
        world.group,
        [world.member_cl],
        date(2026, 4, 1),
        title="Organizar capacitaciones regionales",
    )
    training = factories.make_training(
        session,
        world.mou,
        datetime(2026, 5, 5, 13, tzinfo=UTC),
        title_en="Forensics course",
        title_es="Curso de análisis forense",
        description_md_es="Parte del programa de capacitaciones.",
    )
    other = factories.make_meeting(
        session,
        world.group_cl_co,
        datetime(2026, 3, 11, 14, tzinfo=UTC),
        title_es="Capacitaciones Chile–Colombia",
    )
    session.commit()
    ids.meeting, ids.recorded, ids.action, ids.training = (
        meeting.id,
        recorded.id,
        action.id,
        training.id,
    )
    ids.other_meeting = other.id
    ids.agenda_item = meeting.agenda[0].id
    ids.document = factories.make_document(
        app,
        world.member_cl,
        world.mou,
        world.group,
        title="Informe de capacitaciones",
        tlp=TLP.GREEN,
    )
    ids.strict_document = factories.make_document(
        app,
        world.member_cl,
        world.mou,
        world.group,
        title="Capacitaciones reservadas",
        tlp=TLP.AMBER_STRICT,
    )
    return ids

"""The trainings list as a given person reads it: its lines, paged, and the MoUs under which
they may create trainings (the button), in one statement."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Select, String, bindparam, cast, select
from sqlalchemy.orm import Session, aliased

from portal.accounts.models import Role, User
from portal.core import access as core_access
from portal.core.db import FIELD, packed, unpacked, utcnow
from portal.mous.models import Mou
from portal.trainings import access
from portal.trainings.models import Training, TrainingStatus
from portal.trainings.queries import MouTitle
from portal.trainings.services import MAX_DURATION
from portal.web.pagination import Page, counted_page, counted_page_statements, read_counted_page

# The roles that may create trainings under some MoU (access.manage_trainings_clause).
MANAGING_ROLES = (Role.ADMINISTRATOR, Role.COORDINATOR)
LINE_COLUMNS = 10  # a line's columns in the list's rows (then the MoUs managed, if asked)


@dataclass(frozen=True)
class TrainingLine:
    """What a line of the list shows of a training (read as one row, compared as a key)."""

    id: int
    title_en: str
    title_es: str
    status: TrainingStatus
    format: str
    audience: str
    starts_at: datetime
    ends_at: datetime
    mou: MouTitle

    @property
    def is_cancelled(self) -> bool:
        return self.status == TrainingStatus.CANCELLED


@dataclass(frozen=True)
class MouChoice:
    """An MoU the reader may create trainings under, as the list's button shows it."""

    id: int
    title_en: str
    title_es: str


@dataclass(frozen=True)
class TrainingList:
    page: Page  # of TrainingLine
    manageable: tuple[MouChoice, ...]


def _list_query(viewer, past: bool, now, earliest) -> Select:
    """`earliest`: now less the longest a training lasts (services.MAX_DURATION). Every
    training not over started after it, so the start's index reads only those, not each of
    the years before."""
    visible = access.visible_trainings_clause(viewer)
    if past:
        when = Training.ends_at <= now
        order = (Training.starts_at.desc(), Training.id.desc())
    else:
        when = (Training.ends_at > now) & (Training.starts_at > earliest)
        order = (Training.starts_at, Training.id)
    return (
        select(
            Training.id,
            Training.title_en,
            Training.title_es,
            Training.status,
            Training.format,
            Training.audience,
            Training.starts_at,
            Training.ends_at,
            Mou.title_en,
            Mou.title_es,
        )
        .join(Mou, Mou.id == Training.mou_id)
        .where(visible, when)
        .order_by(*order)
    )


@cache
def _parametric_list_statements(role: Role, past: bool) -> tuple:
    """What counted_page runs for the list of a role, built once: building it costs more
    than running it. The instant and the reader are bound (now, viewer_id, viewer_party_id).
    A role that may manage trainings reads the MoUs it manages beside each line (one value,
    computed once by the database), sparing a statement of its own."""
    viewer = core_access.ParametricViewer(role)
    query = _list_query(viewer, past, bindparam("now"), bindparam("earliest"))
    if role in MANAGING_ROLES:
        query = query.add_columns(_packed_manageable(viewer).label("manageable"))
    return counted_page_statements(query)


def list_trainings(session: Session, actor: User, *, past: bool, page: int) -> TrainingList:
    """Upcoming trainings (soonest first, until they are over) or past ones (latest first),
    paged, as the lines the list shows, with the MoUs the actor may create trainings under:
    one statement for the lines, their count and those MoUs. An external participant's rule
    asks for their invitations (by address): their statement is built for them, and they
    manage none."""
    now = utcnow()
    if access.is_external_participant(actor):
        query = _list_query(actor, past, now, now - MAX_DURATION)
        found = counted_page(session, query, page=page)
        return TrainingList(_with_lines(found), ())
    parameters = {"now": now, "earliest": now - MAX_DURATION}
    parameters |= core_access.viewer_parameters(actor)
    statements = _parametric_list_statements(actor.role, past)
    found = read_counted_page(session, statements, parameters, page=page)
    if actor.role not in MANAGING_ROLES:
        return TrainingList(_with_lines(found), ())
    if not found.items:  # no line to carry them
        return TrainingList(_with_lines(found), manageable_mous(session, actor))
    return TrainingList(_with_lines(found), _unpacked_choices(found.items[0].manageable))


def _with_lines(found: Page) -> Page:
    lines = [TrainingLine(*row[:8], mou=MouTitle(*row[8:LINE_COLUMNS])) for row in found.items]
    return Page(items=lines, page=found.page, per_page=found.per_page, total=found.total)


def manageable_mous(session: Session, actor: User) -> tuple[MouChoice, ...]:
    """The MoUs under which the actor may create trainings: one statement through the rule's
    SQL clause, their ids and titles only (not each MoU's parties loaded to ask the rule)."""
    if actor.role not in MANAGING_ROLES:
        return ()  # spares the query for the many who manage nothing
    parameters = core_access.viewer_parameters(actor)
    packed_choices = session.scalar(_manageable_query(actor.role), parameters)
    return _unpacked_choices(packed_choices)


@cache
def _manageable_query(role: Role) -> Select:
    """Built once per role (the reader's party is bound)."""
    return select(_packed_manageable(core_access.ParametricViewer(role)))


def _packed_manageable(viewer):
    """The MoUs the viewer may create trainings under, as one packed value (core.db.packed)."""
    mou = aliased(Mou, name="manageable_mou")
    choice = mou.title_en + FIELD + cast(mou.id, String) + FIELD + mou.title_es
    return (
        select(packed(choice)).where(access.manage_trainings_clause(viewer, mou)).scalar_subquery()
    )


def _unpacked_choices(value: str | None) -> tuple[MouChoice, ...]:
    """In the order the button lists them: by English title, then id."""
    fields = (choice.split(FIELD) for choice in unpacked(value))
    choices = (MouChoice(int(id_), title_en, title_es) for title_en, id_, title_es in fields)
    return tuple(sorted(choices, key=lambda choice: (choice.title_en, choice.id)))

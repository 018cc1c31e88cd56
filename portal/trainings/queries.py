"""Reading trainings as a given person: a training's page and report, and the dashboard's
panels (the list: listing.py)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import Select, bindparam, exists, func, select
from sqlalchemy.orm import Session, aliased, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from portal.accounts.models import Role, User
from portal.core import access as core_access
from portal.core.db import utcnow, written_limit
from portal.core.errors import Denied, NotVisible
from portal.core.together import Read
from portal.mous.access import mou_readers_clause
from portal.mous.models import Mou
from portal.trainings import access
from portal.trainings.access import is_external_participant
from portal.trainings.models import (
    Registration,
    RegistrationStatus,
    Training,
    TrainingInvitation,
    TrainingStatus,
    training_materials,
)
from portal.web.attention import Waiting, read_waiting, waiting_statement
from portal.web.pagination import (
    Preview,
    preview_limits,
    preview_statement,
    previewed,
)


@dataclass(frozen=True)
class MouTitle:
    title_en: str
    title_es: str


# A training shown to a reader: its page, its report; the MoUs one may create trainings under


@dataclass(frozen=True)
class TrainingPage:
    """What a training's page shows: the training, the reader's own registration and its
    place on the waiting list, and the seats counted."""

    training: Training
    mine: Registration | None
    position: int | None
    taken: int
    waiting: int


def _counted(status: RegistrationStatus):
    return (
        select(func.count())
        .where(Registration.training_id == Training.id, Registration.status == status)
        .scalar_subquery()
    )


_own, _ahead = aliased(Registration), aliased(Registration)
# The seats counted and the reader's place on the waiting list, beside the training in one
# statement; built once (the reader is a parameter) so that each request only binds it.
SEATS = (
    _counted(RegistrationStatus.CONFIRMED),
    _counted(RegistrationStatus.WAITLISTED),
    select(func.count())
    .select_from(_ahead)
    .join(_own, _own.training_id == _ahead.training_id)
    .where(
        _ahead.training_id == Training.id,
        _ahead.status == RegistrationStatus.WAITLISTED,
        _own.user_id == bindparam("reader"),
        _own.status == RegistrationStatus.WAITLISTED,
        _ahead.queue_number <= _own.queue_number,
    )
    .scalar_subquery(),
)


def _shown_loading(actor: User) -> list:
    """What the rules read of a training shown to `actor`: its MoU (joined) and parties; an
    external participant's rule asks for their own invitation and registration only."""
    loading = [joinedload(Training.mou).joinedload(Mou.parties)]
    if access.is_external_participant(actor):
        loading += [
            selectinload(Training.invitations.and_(TrainingInvitation.email == actor.email)),
            selectinload(Training.registrations.and_(Registration.user_id == actor.id)),
        ]
    return loading


def read_training(session: Session, actor: User, training_id: int) -> Training:
    """As get_training, for showing the training (never for changing it): what its rules read
    is loaded, not its every registration and invitation."""
    training = (
        session.scalars(
            select(Training)
            .where(Training.id == training_id, access.visible_trainings_clause(actor))
            .options(*_shown_loading(actor))
        )
        .unique()
        .first()
    )
    if training is None:
        raise NotVisible("training", training_id, Training)
    if not access.can_view_training(actor, training):
        raise Denied("training", training_id)
    return training


@dataclass(frozen=True)
class ReportHead:
    """What a training's report page shows of the training (its id and titles), its MoU's
    report version (read before the figures) and whether the reader may see the report."""

    id: int
    title_en: str
    title_es: str
    report_version: int
    may_view_report: bool


def read_report_head(session: Session, actor: User, training_id: int) -> ReportHead:
    """As read_training, for the report page, as one row of a statement built once per role;
    an external participant's rules ask for their own invitation and registration, so theirs
    is read through read_training."""
    if is_external_participant(actor):
        training = read_training(session, actor, training_id)
        may_view = access.can_view_training_report(actor, training)
        version = training.mou.report_version
        return ReportHead(training.id, training.title_en, training.title_es, version, may_view)
    parameters = {"training_id": training_id, **core_access.viewer_parameters(actor)}
    row = session.execute(_report_head_statement(actor.role), parameters).first()
    if row is None:
        raise NotVisible("training", training_id, Training)
    *head, reads_mou = row
    if not reads_mou:  # can_view_training, as read_training asks
        raise Denied("training", training_id)
    return ReportHead(*head, access.views_training_report(actor, reads_mou=reads_mou))


@cache
def _report_head_statement(role: Role) -> Select:
    """Built once per role: building it costs more than running it."""
    viewer = core_access.ParametricViewer(role)
    return (
        select(
            Training.id,
            Training.title_en,
            Training.title_es,
            Mou.report_version,
            mou_readers_clause(Training.mou_id, viewer),
        )
        .join(Mou, Mou.id == Training.mou_id)
        .where(Training.id == bindparam("training_id"), access.visible_trainings_clause(viewer))
    )


_mine = aliased(Registration, name="mine")
# Whether the training has materials at all: most have none, and then none are loaded.
HAS_MATERIALS = exists().where(training_materials.c.training_id == Training.id)


def read_training_page(session: Session, actor: User, training_id: int) -> TrainingPage:
    """The training as `actor` may see it with what its page shows, in one statement: its
    MoU, parties and group joined, its seats counted, the reader's own registration and
    place on the waiting list (never every registration), and whether it has materials.
    An external participant's rule asks for their own invitation and registration only, so
    only those are loaded; this is for showing the page, never for changing the training."""
    row = (
        session.execute(
            select(Training, _mine, *SEATS, HAS_MATERIALS)
            .outerjoin(
                _mine, (_mine.training_id == Training.id) & (_mine.user_id == bindparam("reader"))
            )
            .where(Training.id == training_id, access.visible_trainings_clause(actor))
            .options(*_shown_loading(actor), joinedload(Training.working_group)),
            {"reader": actor.id},
        )
        .unique()
        .first()
    )
    if row is None:
        raise NotVisible("training", training_id, Training)
    training, mine, taken, waiting, place, has_materials = row
    if not access.can_view_training(actor, training):
        raise Denied("training", training_id)
    if not has_materials:
        set_committed_value(training, "materials", [])
    waits = mine is not None and mine.status == RegistrationStatus.WAITLISTED
    return TrainingPage(training, mine, place if waits else None, taken, waiting)


@dataclass(frozen=True)
class NextTraining:
    """What the dashboard shows of one of the reader's next trainings (read as a row)."""

    id: int
    title_en: str
    title_es: str
    starts_at: datetime


def next_trainings(session: Session, reader: User) -> Preview:
    """Trainings not yet over where the reader has a seat or is waiting, soonest first; each
    with the reader's registration."""
    first = previewed(session, *_dashboard_statement(_next_trainings, reader))
    items = [(NextTraining(*row[:4]), row[4]) for row in first.items]
    return Preview(items=items, total=first.total, capped=first.capped)


_NOW = bindparam("now", type_=Training.ends_at.type)
_CLOSING_BEFORE = bindparam("closing_before", type_=Training.ends_at.type)


def _dashboard_statement(build, reader: User) -> tuple:
    """`build`'s statement for the reader with its parameters: built once per role (building
    costs more than running), except for an external participant or an inactive account,
    whose rules read more of them than a core.access.ParametricViewer holds."""
    now = utcnow()
    parameters = {"now": now, "closing_before": now + CLOSING_SOON}
    if reader.is_active and not is_external_participant(reader):
        parameters.update(core_access.viewer_parameters(reader))
        return _built_for_role(build, reader.role, preview_limits()), parameters
    return build(reader), parameters


@cache
def _built_for_role(build, role: Role, limits: tuple):
    viewer = core_access.ParametricViewer(role)
    viewer.is_active = True  # the statement serves active accounts only (above)
    return build(viewer)


def _next_trainings(reader) -> Select:
    query = (
        select(
            Training.id,
            Training.title_en,
            Training.title_es,
            Training.starts_at,
            Registration.status,
        )
        .join(Registration, Registration.training_id == Training.id)
        .where(
            Registration.user_id == reader.id,
            Registration.status.in_((RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)),
            Training.ends_at >= _NOW,
            Training.status != TrainingStatus.CANCELLED,
            access.visible_trainings_clause(reader),
        )
    )
    return preview_statement(query, (Training.starts_at, Training.id))


# What waits for the reader (the dashboard's "Needs your attention") ---------------------------

# "Closes soon": registration ends within the week.
CLOSING_SOON = timedelta(days=7)


def registration_closing_soon(session: Session, reader: User) -> Waiting:
    """Trainings not cancelled the reader may register for and has not, whose registration
    closes within CLOSING_SOON (full ones too: a seat may still come from the waiting list);
    the first is the one closing soonest."""
    return read_waiting(session, *_dashboard_statement(_closing_soon, reader))


def _closing_soon(reader) -> Select:
    registered = exists().where(
        Registration.training_id == Training.id,
        Registration.user_id == reader.id,
        Registration.status != RegistrationStatus.CANCELLED,
    )
    statement = (
        select(Training.id)
        .where(
            Training.status != TrainingStatus.CANCELLED,
            Training.registration_closes_at > _NOW,
            Training.registration_closes_at <= _CLOSING_BEFORE,
            ~registered,
            access.may_register_clause(reader),
        )
        .order_by(Training.registration_closes_at, Training.id)
    )
    return waiting_statement(statement)


def upcoming_mou_trainings(reader: User, mou_id: int, *, limit: int = 5) -> Read:
    """The MoU's and its groups' pages: its trainings not yet over and not cancelled that the
    reader may see, soonest first, as rows of what they show."""
    parameters = {
        "mou_id": mou_id,
        "now": utcnow(),
        **core_access.viewer_parameters(reader),
    }
    if core_access.is_delegation_user(reader) or core_access.can_administer(reader):
        statement = _upcoming_mou_query(reader.role, limit)
    else:  # an external participant's rule reads their email, which no parameter stands for
        statement = _upcoming_mou_statement(reader, limit)
    return Read(statement, parameters)


@cache
def _upcoming_mou_query(role: Role, limit: int) -> Select:
    """Built once per role: building the access rule costs more than running it. The limit
    is written into it (core.db.written_limit), so that the page's statement keeps one plan."""
    return _upcoming_mou_statement(core_access.ParametricViewer(role), limit)


def _upcoming_mou_statement(viewer, limit: int) -> Select:
    return (
        select(Training.id, Training.title_en, Training.title_es, Training.starts_at)
        .where(
            Training.mou_id == bindparam("mou_id"),
            Training.ends_at >= bindparam("now"),
            Training.status != TrainingStatus.CANCELLED,
            access.visible_trainings_clause(viewer),
        )
        .order_by(Training.starts_at)
        .limit(written_limit(limit))
    )

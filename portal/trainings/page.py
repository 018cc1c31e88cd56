"""A training's page: read in one statement built once per role (the columns it shows, the
reader's own registration, the seats counted), its content kept under all it shows and the
reader's rights, with the reader's registration, the materials (where there are any) and the
form token as slots filled per request.

Nothing in the content changes with time alone but whether the training may still be
cancelled, which is part of the key. External participants' rules ask for their own
invitation and registration: their page is read through the ORM (queries.read_training_page)
and rendered the same way.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from flask import render_template, request
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session, aliased

from portal.accounts.models import Party, Role, User
from portal.core import access as core_access
from portal.core import past_events
from portal.core.bilingual import Name
from portal.core.db import FIELD, packed, unpacked, utcnow
from portal.core.errors import NotVisible
from portal.core.i18n import current_language, localized, select_timezone
from portal.core.kept import HTML_SLOTS, ProcessStore
from portal.mous.access import mou_readers_clause
from portal.mous.models import Mou, WorkingGroup, mou_parties
from portal.trainings import access, materials, queries
from portal.trainings.details import training_details
from portal.trainings.forms import TEMPLATE_LABELS, RegistrationForm
from portal.trainings.models import (
    Audience,
    Registration,
    RegistrationStatus,
    Sector,
    Training,
    TrainingFormat,
    TrainingLanguage,
    TrainingStatus,
)
from portal.web.submissions import KEPT_FORM_TOKENS, form_token_fillings

# The pages' content, kept under every value it shows and the reader's rights (see page).
CONTENTS = ProcessStore("training-pages", size=2048)
# The reader's part, kept under all it shows (see _registration).
REGISTRATIONS = ProcessStore("training-registrations", size=2048)
REGISTRATION_SLOT, MATERIALS_SLOT = "registration", "materials"


@dataclass(frozen=True)
class TrainingView:
    """What a training's page shows of the training (read as one row, compared as a key)."""

    id: int
    mou_id: int
    title_en: str
    title_es: str
    status: TrainingStatus
    allow_external: bool
    capacity: int
    starts_at: datetime
    ends_at: datetime
    registration_closes_at: datetime
    timezone: str
    format: TrainingFormat
    venue: str
    link: str
    audience: Audience
    language: TrainingLanguage
    trainers: str
    description_html_en: str
    description_html_es: str
    mou: queries.MouTitle
    working_group: Name | None
    party_zones: tuple[str, ...]  # the MoU's parties' zones, in the order of their codes

    @property
    def is_cancelled(self) -> bool:
        return self.status == TrainingStatus.CANCELLED

    @property
    def clock_zones(self) -> list[str]:
        """As Training.clock_zones: the organiser's zone, then each party's."""
        return [self.timezone, *self.party_zones]


@dataclass(frozen=True)
class OwnRegistration:
    """The reader's own registration, as their part of the page shows it."""

    status: RegistrationStatus
    organisation: str
    sector: Sector


@dataclass(frozen=True)
class Shown:
    """A training's page for one reader: the training, what the reader may do, their own
    registration and place on the waiting list, and the seats counted."""

    training: TrainingView
    can_manage: bool
    can_register: bool
    mine: OwnRegistration | Registration | None
    position: int | None
    taken: int
    waiting: int
    has_materials: bool


# Reading ----------------------------------------------------------------------------------

_VIEW_COLUMNS = (
    Training.id,
    Training.mou_id,
    Training.title_en,
    Training.title_es,
    Training.status,
    Training.allow_external,
    Training.capacity,
    Training.starts_at,
    Training.ends_at,
    Training.registration_closes_at,
    Training.timezone,
    Training.format,
    Training.venue,
    Training.link,
    Training.audience,
    Training.language,
    Training.trainers,
    Training.description_html_en,
    Training.description_html_es,
)


def _packed_zones():
    """The outer training's MoU's parties as code and zone, packed in one string."""
    return (
        select(packed(Party.code + FIELD + Party.timezone))
        .select_from(mou_parties.join(Party, Party.id == mou_parties.c.party_id))
        .where(mou_parties.c.mou_id == Training.mou_id)
        .scalar_subquery()
    )


@cache
def _page_statement(role: Role) -> Select:
    """The page's one statement, built once per role: building it costs more than running it."""
    viewer = core_access.ParametricViewer(role)
    own = aliased(Registration, name="own_registration")
    return (
        select(
            *_VIEW_COLUMNS,
            Mou.title_en,
            Mou.title_es,
            WorkingGroup.name_en,
            WorkingGroup.name_es,
            _packed_zones().label("zones"),
            mou_readers_clause(Training.mou_id, viewer).label("reads_mou"),
            own.status,
            own.organisation,
            own.sector,
            *queries.SEATS,
            queries.HAS_MATERIALS,
        )
        .join(Mou, Mou.id == Training.mou_id)
        .outerjoin(WorkingGroup, WorkingGroup.id == Training.working_group_id)
        .outerjoin(own, (own.training_id == Training.id) & (own.user_id == bindparam("reader")))
        .where(Training.id == bindparam("training_id"), access.visible_trainings_clause(viewer))
    )


def read_page(session: Session, viewer: User, training_id: int) -> Shown:
    """The training as `viewer` may see it, with what its page shows."""
    if access.is_external_participant(viewer):
        return shown_from(queries.read_training_page(session, viewer, training_id), viewer)
    parameters = {
        "training_id": training_id,
        "reader": viewer.id,
        **core_access.viewer_parameters(viewer),
    }
    row = session.execute(_page_statement(viewer.role), parameters).first()
    if row is None:
        raise NotVisible("training", training_id, Training)
    count = len(_VIEW_COLUMNS)
    group = Name(row[count + 2], row[count + 3]) if row[count + 2] is not None else None
    zones = tuple(value.split(FIELD)[1] for value in unpacked(row.zones))
    view = TrainingView(*row[:count], queries.MouTitle(row[count], row[count + 1]), group, zones)
    status, organisation, sector, taken, waiting, place, has_materials = row[count + 6 :]
    mine = OwnRegistration(status, organisation, sector) if status is not None else None
    waits = status == RegistrationStatus.WAITLISTED
    return Shown(
        training=view,
        can_manage=access.manages_trainings(viewer, reads_mou=row.reads_mou),
        can_register=access.registers_for_trainings(viewer, reads_mou=row.reads_mou),
        mine=mine,
        position=place if waits else None,
        taken=taken,
        waiting=waiting,
        has_materials=has_materials,
    )


def view_of(training: Training) -> TrainingView:
    mou, group = training.mou, training.working_group
    return TrainingView(
        *(getattr(training, column.key) for column in _VIEW_COLUMNS),
        mou=queries.MouTitle(mou.title_en, mou.title_es),
        working_group=Name(group.name_en, group.name_es) if group else None,
        party_zones=tuple(party.timezone for party in mou.parties),
    )


def shown_from(page: queries.TrainingPage, viewer: User) -> Shown:
    """A page read through the ORM (an external participant's, or one shown again after a
    refused registration), as the rendering reads it."""
    training = page.training
    return Shown(
        training=view_of(training),
        can_manage=access.can_manage_training(viewer, training),
        can_register=access.can_register_for_training(viewer, training),
        mine=page.mine,
        position=page.position,
        taken=page.taken,
        waiting=page.waiting,
        has_materials=bool(training.materials),
    )


# Rendering --------------------------------------------------------------------------------


def render_page(session: Session, viewer: User, shown: Shown, register_form=None, status=200):
    """The page: its kept content with the reader's registration, the materials and the form
    token filled in; with `register_form`, the registration the reader sent and its errors."""
    training = shown.training
    cancellable = past_events.training_cancellable(training)
    key = (
        "training-page",
        training,
        shown.taken,
        shown.waiting,
        shown.can_manage,
        cancellable,
        shown.has_materials,
        current_language(),
        select_timezone(),
    )
    content = CONTENTS.get(session, key, lambda: _content(session, shown, cancellable))
    fillings = {
        "csrf": lambda _: generate_csrf(),
        REGISTRATION_SLOT: _registration(session, viewer, shown, register_form),
        MATERIALS_SLOT: lambda _: _materials(session, viewer, shown),
    }
    body = HTML_SLOTS.fill(content, fillings)
    title = localized(training, "title")
    return render_template("trainings/detail.html", title=title, body=body), status


def _content(session: Session, shown: Shown, cancellable: bool) -> list[str]:
    training = shown.training
    if shown.has_materials:
        listed = HTML_SLOTS.slot(MATERIALS_SLOT)
    else:
        listed = _render("trainings/_materials.html", training_id=training.id, materials=[])
    html = render_template(
        "trainings/_page.html",
        training=training,
        details=training_details(session, training, shown.taken, shown.waiting),
        can_manage=shown.can_manage,
        training_cancellable=cancellable,
        materials=listed,
        registration=HTML_SLOTS.slot(REGISTRATION_SLOT),
        csrf=HTML_SLOTS.slot("csrf"),
    )
    return HTML_SLOTS.split(html)


def _materials(session: Session, viewer: User, shown: Shown) -> Markup:
    """The materials the reader may open (read only for a training that has some)."""
    training = queries.read_training(session, viewer, shown.training.id)
    return _render(
        "trainings/_materials.html",
        training_id=training.id,
        materials=materials.visible_materials(viewer, training),
        can_manage=shown.can_manage,
    )


def _registration(session: Session, viewer: User, shown: Shown, register_form=None) -> Markup:
    """The reader's registration: kept under all it shows (the reader's own registration
    among it), the form's tokens filled per request; with `register_form`, the registration
    the reader sent and its errors, rendered as it is."""
    training, mine = shown.training, shown.mine
    registration_open = not training.is_cancelled and utcnow() < training.registration_closes_at
    holds_place = mine is not None and mine.status != RegistrationStatus.CANCELLED
    shows_form = registration_open and shown.can_register and not holds_place
    context = {
        "training": training,
        "mine": mine,
        "position": shown.position,
        "taken": shown.taken,
        "can_register": shown.can_register,
        "registration_open": registration_open,
        "registration_cancellable": past_events.registration_cancellable(training),
        **TEMPLATE_LABELS,
    }
    if register_form is not None:
        return _render("trainings/_registration.html", register_form=register_form, **context)
    own = (mine.status, mine.organisation, mine.sector) if mine is not None else None
    prefill = shows_form and request.method == "GET" and mine is not None
    key = (
        (training.id, training.is_cancelled, training.registration_closes_at, training.capacity),
        own,
        shown.position,
        shown.taken,
        shown.can_register,
        registration_open,
        context["registration_cancellable"],
        prefill,
        current_language(),
        select_timezone(),
    )

    def render() -> list[str]:
        form = None
        if shows_form:
            form = RegistrationForm(formdata=None)
            if prefill:
                form.organisation.data = mine.organisation
                form.sector.data = mine.sector.value
        kept = {"register_form": form, "csrf": HTML_SLOTS.slot("csrf"), "tokens": KEPT_FORM_TOKENS}
        return HTML_SLOTS.split(_render("trainings/_registration.html", **context, **kept))

    parts = REGISTRATIONS.get(session, key, render)
    return HTML_SLOTS.fill(parts, form_token_fillings(viewer.get_id()))


def _render(template: str, **context) -> Markup:
    html = render_template(template, **context)
    return Markup(html)  # noqa: S704 - rendered by the template, escaped  # nosec B704

"""Training pages: the list, the form, the training page, registration (the roster:
roster_views.py; materials: material_views.py)."""

from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import and_, or_, select

from portal.accounts.models import Role, User
from portal.calendar.forms import ask_which_local_time
from portal.calendar.localtime import AmbiguousLocalTime
from portal.core import access as core_access
from portal.core import past_events
from portal.core.errors import Conflict, ValidationError
from portal.core.extensions import db
from portal.core.i18n import current_language, localized, show_datetime
from portal.core.kept import ProcessStore
from portal.mous import services as mous
from portal.mous.kept_pages import keep_page, kept_page, reader_key
from portal.trainings import access, bp, externals, listing, page, queries, registrations
from portal.trainings import services as trainings
from portal.trainings.forms import (
    TEMPLATE_LABELS,
    InviteExternalForm,
    NewTrainingForm,
    RegisterPersonForm,
    RegistrationForm,
    TrainingForm,
)
from portal.trainings.models import (
    Audience,
    RegistrationStatus,
    TrainingFormat,
    TrainingLanguage,
)
from portal.web.confirm import Confirmation, Mailed, confirmation_page, is_confirmed
from portal.web.forms import form_page, options, page_number, person_label, show_service_error

# The list's content, kept under the lines read for the reader (see training_list).
LIST_CONTENTS = ProcessStore("training-lists")

# The list -----------------------------------------------------------------------------------


@bp.route("/trainings/")
def training_list():
    """Kept whole for the reader (portal/mous/kept_pages.py, as the group's pages: the
    counter every change of a training, its MoU or who may see it raises, the minute and the
    reader), so a kept list costs one short statement; else its lines are read."""
    past = request.args.get("when") == "past"
    number = page_number(request.args)
    key = reader_key(db.session, current_user, "trainings", (past, number))
    content = kept_page(db.session, key)
    if content is None:
        content = keep_page(db.session, key, lambda: _list_page(past, number))
    return render_template("trainings/list.html", content=content)


def _list_page(past: bool, number: int) -> Markup:
    listed = listing.list_trainings(db.session, current_user, past=past, page=number)
    page, manageable = listed.page, listed.manageable
    # The content is the same for every reader who gets the same lines and may create
    # trainings under the same MoUs, in a language and zone: kept under all of that (a
    # training over, changed or hidden gives other lines).
    key = (
        tuple(page.items),
        page.page,
        page.total,
        past,
        manageable,
        current_language(),
        current_user.timezone,
    )
    return LIST_CONTENTS.get(db.session, key, lambda: _list_content(page, past, manageable))


def _list_content(page, past: bool, manageable) -> Markup:
    html = render_template(
        "trainings/_list.html", page=page, past=past, manageable=manageable, **TEMPLATE_LABELS
    )
    return Markup(html)  # noqa: S704 - rendered by the template, escaped  # nosec B704


# Creating and changing ------------------------------------------------------------------------


def _details(form: TrainingForm) -> trainings.TrainingDetails:
    return trainings.TrainingDetails(
        title_en=form.title_en.data,
        title_es=form.title_es.data,
        description_md_en=form.description_md_en.data or "",
        description_md_es=form.description_md_es.data or "",
        audience=Audience(form.audience.data),
        format=TrainingFormat(form.format.data),
        venue=form.venue.data or "",
        link=form.link.data or "",
        start_local=form.start_local.data,
        end_local=form.end_local.data,
        registration_closes_local=form.registration_closes_local.data,
        timezone=form.timezone.data,
        language=TrainingLanguage(form.language.data),
        trainers=form.trainers.data or "",
        capacity=form.capacity.data,
        allow_external=bool(form.allow_external.data),
        working_group_id=form.working_group_id.data or None,
        start_fold=int(form.start_fold.data) if form.start_fold.data in ("0", "1") else None,
        end_fold=int(form.end_fold.data) if form.end_fold.data in ("0", "1") else None,
    )


def _training_form(mou, training=None) -> TrainingForm:
    form = TrainingForm(obj=training) if training is not None else NewTrainingForm()
    groups = [(0, _("None"))] + [(g.id, localized(g, "name")) for g in mou.working_groups]
    form.working_group_id.choices = options(groups)
    if request.method == "GET" and training is None:
        form.timezone.data = current_user.timezone
    if request.method == "GET" and training is not None:
        zone = ZoneInfo(training.timezone)
        for field, instant in (
            (form.start_local, training.starts_at),
            (form.end_local, training.ends_at),
            (form.registration_closes_local, training.registration_closes_at),
        ):
            field.data = instant.astimezone(zone).replace(tzinfo=None)
        form.working_group_id.data = training.working_group_id or 0
        for name in ("audience", "format", "language"):
            getattr(form, name).data = getattr(training, name).value
    return form


def _save(form, mou, training=None):
    """Create or change the training from a valid form; a page to show again, or None."""
    try:
        if training is None:
            training = trainings.create_training(
                db.session, current_user, mou, _details(form), record_past=form.record_past.data
            )
        else:
            trainings.update_training(db.session, current_user, training, _details(form))
    except AmbiguousLocalTime as error:
        asked = set()
        ask_which_local_time(form, error, asked)
        return asked, None
    except ValidationError as error:
        show_service_error(form, error)
        return set(), None
    return set(), training


@bp.route("/mous/<int:mou_id>/trainings/new", methods=["GET", "POST"])
def new_training(mou_id: int):
    mou = mous.get_mou(db.session, current_user, mou_id)
    trainings.require_manager(current_user, mou)
    form = _training_form(mou)
    asked: set[str] = set()
    if form.validate_on_submit():
        asked, training = _save(form, mou)
        if training is not None:
            page = url_for("trainings.detail", training_id=training.id)
            form.claim("training", training, page)
            flash(_("The training has been created."), "success")
            return redirect(page)
    return form_page("trainings/form.html", form, mou=mou, training=None, asked=asked)


@bp.route("/trainings/<int:training_id>/edit", methods=["GET", "POST"])
def edit_training(training_id: int):
    # Not its registrations (hundreds): the form shows none, and update_training reads them
    # afresh under the training's lock.
    training = trainings.get_managed_training(
        db.session, current_user, training_id, registrations=False
    )
    form = _training_form(training.mou, training)
    asked: set[str] = set()
    if form.validate_on_submit():
        asked, saved = _save(form, training.mou, training)
        if saved is not None:
            flash(_("The training has been changed."), "success")
            return redirect(url_for("trainings.detail", training_id=training.id))
    return form_page("trainings/form.html", form, mou=training.mou, training=training, asked=asked)


@bp.route("/trainings/<int:training_id>/cancel", methods=["GET", "POST"])
def cancel_training(training_id: int):
    training = trainings.get_managed_training(db.session, current_user, training_id)
    if not is_confirmed():
        return _ask_to_cancel(training)
    trainings.cancel_training(db.session, current_user, training)
    flash(_("The training has been cancelled and its participants told."), "success")
    return redirect(url_for("trainings.detail", training_id=training.id))


def _ask_to_cancel(training):
    """The confirmation page, refused as the cancellation would be; none once cancelled."""
    back = url_for("trainings.detail", training_id=training.id)
    if training.is_cancelled:
        return redirect(back)
    past_events.require_training_cancellable(training)
    title, when = localized(training, "title"), show_datetime(training.starts_at)
    return confirmation_page(
        Confirmation(
            title=_("Cancel the training?"),
            consequences=[
                _(
                    "The training “%(title)s” of %(when)s will be cancelled.",
                    title=title,
                    when=when,
                ),
                _("Participants' calendars will show the cancellation."),
            ],
            mailed=Mailed(_("a cancellation"), trainings.cancellation_recipients(training)),
            button=_("Yes, cancel the training"),
            back_url=back,
        )
    )


# The training page and registering -------------------------------------------------------------


def _detail_page(training, register_form=None, status=200):
    """The page shown again after a refused registration, from the training loaded for it."""
    mine = trainings.registration_of(training, current_user)
    taken, waiting = registrations.seat_counts(training)
    position = registrations.waiting_position(mine) if mine else None
    read = queries.TrainingPage(training, mine, position, taken, waiting)
    shown = page.shown_from(read, current_user)
    return page.render_page(db.session, current_user, shown, register_form, status)


@bp.route("/trainings/<int:training_id>")
def detail(training_id: int):
    shown = page.read_page(db.session, current_user, training_id)
    return page.render_page(db.session, current_user, shown)


def _participant(form: RegistrationForm) -> registrations.Participant:
    return registrations.Participant(
        organisation=form.organisation.data or "", sector=form.sector.data or ""
    )


def _registered_message(registration) -> str:
    if registration.status == RegistrationStatus.CONFIRMED:
        return _("%(name)s has a seat in this training.", name=registration.user.name)
    return _(
        "The training is full: %(name)s is number %(position)d on the waiting list.",
        name=registration.user.name,
        position=registrations.waiting_position(registration),
    )


@bp.route("/trainings/<int:training_id>/register", methods=["POST"])
def register(training_id: int):
    training = trainings.get_training(db.session, current_user, training_id)
    registrations.require_may_register(current_user, training)
    form = RegistrationForm()
    if form.validate_on_submit():
        try:
            registration = registrations.register(
                db.session, current_user, training, current_user, _participant(form)
            )
        except (ValidationError, Conflict) as error:
            form.form_errors.append(error.message)
        else:
            page = url_for("trainings.detail", training_id=training.id)
            form.claim("registration", registration, page)
            flash(_registered_message(registration), "success")
            return redirect(page)
    return _detail_page(training, register_form=form, status=422)


@bp.route("/trainings/<int:training_id>/registration/cancel", methods=["GET", "POST"])
def cancel_own_registration(training_id: int):
    training = trainings.get_training(db.session, current_user, training_id)
    back = url_for("trainings.detail", training_id=training.id)
    mine = trainings.registration_of(training, current_user)
    if mine is None or mine.status == RegistrationStatus.CANCELLED:
        flash(_("You are not registered for this training."), "warning")
        return redirect(back)
    if not is_confirmed():
        return _ask_to_cancel_mine(mine, back)
    registrations.cancel_registration(db.session, current_user, mine)
    flash(_("Your registration has been cancelled."), "success")
    return redirect(back)


def _ask_to_cancel_mine(mine, back: str):
    """The confirmation page, refused as the cancellation would be."""
    registrations.require_may_cancel(current_user, mine)
    past_events.require_registration_cancellable(mine.training)
    consequences = [
        _("You will lose your place in “%(title)s”.", title=localized(mine.training, "title"))
    ]
    if mine.status == RegistrationStatus.CONFIRMED:
        consequences.append(_("A freed seat goes to the first person on the waiting list."))
    return confirmation_page(
        Confirmation(
            title=_("Cancel your registration?"),
            consequences=consequences,
            mailed=Mailed(_("a notice of the change"), registrations.cancellation_recipients(mine)),
            button=_("Yes, cancel my registration"),
            back_url=back,
        )
    )


# Coordinators: registering people, inviting external participants ----------------------------


def _people_to_register(training) -> list[User]:
    """Active people the actor may register and who hold no place yet."""
    holding = {
        r.user_id for r in training.registrations if r.status != RegistrationStatus.CANCELLED
    }
    party_ids = [p.id for p in training.mou.parties]
    if not core_access.can_administer(current_user):
        party_ids = [current_user.party_id]
    invited_externals = and_(
        User.role == Role.EXTERNAL, User.email.in_([i.email for i in training.invitations])
    )
    people = db.session.scalars(
        select(User)
        .where(or_(User.party_id.in_(party_ids), invited_externals), User.is_active.is_(True))
        .order_by(User.name, User.id)
    )
    return [
        p
        for p in people
        if p.id not in holding and access.can_register_person(current_user, training, p)
    ]


@bp.route("/trainings/<int:training_id>/register-person", methods=["GET", "POST"])
def register_person(training_id: int):
    training = trainings.get_managed_training(db.session, current_user, training_id)
    people = {p.id: p for p in _people_to_register(training)}
    form = RegisterPersonForm()
    form.user_id.choices = options((p.id, person_label(p)) for p in people.values())
    if form.validate_on_submit():
        try:
            registration = registrations.register(
                db.session, current_user, training, people[form.user_id.data], _participant(form)
            )
        except (ValidationError, Conflict) as error:
            show_service_error(form, error)
        else:
            page = url_for("trainings.roster", training_id=training.id)
            form.claim("registration", registration, page)
            flash(_registered_message(registration), "success")
            return redirect(page)
    return form_page("trainings/register_person.html", form, training=training)


@bp.route("/trainings/<int:training_id>/invite", methods=["GET", "POST"])
def invite_external(training_id: int):
    training = trainings.get_managed_training(db.session, current_user, training_id)
    form = InviteExternalForm()
    if request.method == "GET":
        form.language.data = current_user.language
    if form.validate_on_submit():
        try:
            invitation = externals.invite_external(
                db.session, current_user, training, form.email.data, form.language.data
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            page = url_for("trainings.detail", training_id=training.id)
            form.claim("external_invitation", invitation, page)
            flash(_("The invitation has been sent to %(email)s.", email=form.email.data), "success")
            return redirect(page)
    return form_page("trainings/invite.html", form, training=training)

"""The roster of a training for its managers: the people registered, attendance, cancelling
one registration."""

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from portal.core import past_events
from portal.core.errors import ValidationError
from portal.core.extensions import db
from portal.core.i18n import localized
from portal.trainings import bp, registrations
from portal.trainings import services as trainings
from portal.trainings.forms import (
    NOT_RECORDED,
    TEMPLATE_LABELS,
    ConfirmForm,
    attendance_form,
)
from portal.trainings.models import (
    AttendanceMark,
    RegistrationStatus,
)
from portal.web.confirm import Confirmation, Mailed, confirmation_page, is_confirmed
from portal.web.forms import form_page, page_number


@bp.route("/trainings/<int:training_id>/roster")
def roster(training_id: int):
    training = trainings.get_managed_training(db.session, current_user, training_id)
    return _roster_page(training)


def _roster_page(training, form=None):
    page = trainings.roster_page(db.session, training, page=page_number(request.args))
    seated = [r for r in page.items if r.status == RegistrationStatus.CONFIRMED]
    if form is None:
        form = attendance_form(seated)
    taken, waiting = registrations.seat_counts(training)
    return form_page(
        "trainings/roster.html",
        form,
        training=training,
        page=page,
        seated=seated,
        taken=taken,
        waiting=waiting,
        started=past_events.has_started(training),
        registrations_cancellable=past_events.registration_cancellable(training),
        confirm_form=ConfirmForm(),
        **TEMPLATE_LABELS,
    )


@bp.route("/trainings/<int:training_id>/attendance", methods=["POST"])
def record_attendance(training_id: int):
    training = trainings.get_managed_training(db.session, current_user, training_id)
    seated = [r for r in training.registrations if r.status == RegistrationStatus.CONFIRMED]
    # Only the people whose choice was sent: the roster form shows one page of them.
    sent = [r for r in seated if f"registration_{r.id}" in request.form]
    form = attendance_form(sent, formdata=request.form)
    if form.validate_on_submit():
        marks = {}
        for registration in sent:
            value = form[f"registration_{registration.id}"].data
            marks[registration.id] = None if value == NOT_RECORDED else AttendanceMark(value)
        try:
            changed = registrations.record_attendance(db.session, current_user, training, marks)
        except ValidationError as error:
            form.form_errors.append(error.message)
        else:
            flash(
                ngettext(
                    "Attendance recorded (%(num)d changed).",
                    "Attendance recorded (%(num)d changed).",
                    changed,
                ),
                "success",
            )
            return redirect(url_for("trainings.roster", training_id=training.id))
    return _roster_page(training, form)


@bp.route(
    "/trainings/<int:training_id>/registrations/<int:registration_id>/cancel",
    methods=["GET", "POST"],
)
def cancel_registration(training_id: int, registration_id: int):
    training = trainings.get_managed_training(db.session, current_user, training_id)
    registration = registrations.get_registration(training, registration_id)
    if not is_confirmed():
        return _ask_to_cancel(registration)
    registrations.cancel_registration(db.session, current_user, registration)
    flash(_("The registration of %(name)s has been cancelled.", name=registration.user.name))
    return redirect(url_for("trainings.roster", training_id=training.id))


def _ask_to_cancel(registration):
    """The confirmation page, refused as the cancellation would be; none once cancelled."""
    training = registration.training
    back = url_for("trainings.roster", training_id=training.id)
    if registration.status == RegistrationStatus.CANCELLED:
        return redirect(back)
    registrations.require_may_cancel(current_user, registration)
    past_events.require_registration_cancellable(training)
    name, title = registration.user.name, localized(training, "title")
    return confirmation_page(
        Confirmation(
            title=_("Cancel the registration?"),
            consequences=[
                _("%(name)s will lose their place in “%(title)s”.", name=name, title=title),
                _("A freed seat goes to the first person on the waiting list."),
            ],
            mailed=Mailed(
                _("a notice of the change"), registrations.cancellation_recipients(registration)
            ),
            button=_("Yes, cancel the registration"),
            back_url=back,
        )
    )

"""Pages that follow a session: certificates (and their public verification) and the feedback
survey. The reports are in report_views.py."""

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.core import past_events
from portal.core.errors import Forbidden, ValidationError
from portal.core.extensions import db, limiter
from portal.trainings import access, bp, certificates, feedback
from portal.trainings import services as trainings
from portal.trainings.certificate_pdf import certificate_pdf, format_hours, session_dates
from portal.trainings.followup_forms import (
    FeedbackForm,
    VerifyCertificateForm,
)
from portal.trainings.models import Training
from portal.web.forms import form_page, page_number, show_service_error
from portal.web.public import public

REPORT_DEFAULT_DAYS = 365


def _training(training_id: int) -> Training:
    return trainings.get_training(db.session, current_user, training_id)


@bp.app_template_global()
def training_followup_links(training: Training) -> dict[str, bool]:
    """Which of these pages the reader may open, for the links on the training's page."""
    manages = access.can_manage_training(current_user, training)
    return {"report": manages}


# Certificates -----------------------------------------------------------------------------


@bp.route("/trainings/<int:training_id>/certificates", endpoint="certificates")
def certificates_page(training_id: int):
    training = _training(training_id)
    manages = access.can_issue_certificates(current_user, training)
    page = None
    if manages:
        page = certificates.certificates_page(db.session, training, page=page_number(request.args))
    return render_template(
        "trainings/certificates.html",
        training=training,
        manages=manages,
        page=page,
        own=certificates.own_certificate(db.session, current_user, training),
        format_hours=format_hours,
    )


@bp.route("/trainings/<int:training_id>/certificates/issue", methods=["POST"])
def issue_certificates(training_id: int):
    training = _training(training_id)
    if not access.can_issue_certificates(current_user, training):
        raise Forbidden(_("Only the coordinators of the MoU's parties issue certificates."))
    try:
        result = certificates.issue_certificates(db.session, current_user, training)
    except ValidationError as error:
        flash(error.message, "danger")
        return redirect(url_for("trainings.certificates", training_id=training.id))
    flash(
        _(
            "Certificates issued: %(certificates)d. Feedback requested from %(asked)d people.",
            certificates=result.certificates,
            asked=result.feedback_requests,
        ),
        "success",
    )
    return redirect(url_for("trainings.certificates", training_id=training.id))


@bp.route("/trainings/<int:training_id>/certificates/<int:certificate_id>.pdf")
def download_certificate(training_id: int, certificate_id: int):
    training = _training(training_id)
    certificate = certificates.certificate_to_download(
        db.session, current_user, training, certificate_id
    )
    filename = f"certificate-{training.id}-{certificate.id}.pdf"
    return Response(
        certificate_pdf(certificate),
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


def _verification_page(form: VerifyCertificateForm, code: str | None):
    """The same page, status and shape for every wrong code; the facts only for a right one."""
    verification = certificates.verify(db.session, code) if code is not None else None
    return render_template(
        "trainings/verify.html",
        form=form,
        checked=code is not None,
        verification=verification,
        session_dates=session_dates,
    )


@bp.route("/certificates/verify", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def verify_certificate():
    form = VerifyCertificateForm()
    if request.method == "POST" and not form.validate_on_submit():
        return form_page("trainings/verify.html", form, checked=False, verification=None)
    return _verification_page(form, form.code.data if request.method == "POST" else None)


@bp.route("/certificates/verify/<code>")
@public
def verify_certificate_code(code: str):
    """The link printed on the certificate; the code carries 100 random bits."""
    form = VerifyCertificateForm(formdata=None, data={"code": code[:64]})
    return _verification_page(form, code)


# Feedback ---------------------------------------------------------------------------------


def _feedback_page(training: Training, form: FeedbackForm | None = None):
    registration = feedback.attendee_registration(training, current_user)
    manages = access.can_read_feedback(current_user, training)
    context = {
        "training": training,
        "registration": registration,
        "given": feedback.feedback_of(db.session, registration),
        "has_ended": past_events.is_over(training),
        "manages": manages,
        "summary": feedback.feedback_summary(db.session, training) if manages else None,
        "comments": (
            feedback.comments_page(db.session, training, page=page_number(request.args))
            if manages
            else None
        ),
    }
    return form_page("trainings/feedback.html", form or FeedbackForm(), **context)


@bp.route("/trainings/<int:training_id>/feedback", endpoint="feedback")
def feedback_page(training_id: int):
    return _feedback_page(_training(training_id))


@bp.route("/trainings/<int:training_id>/feedback", methods=["POST"])
def submit_feedback(training_id: int):
    training = _training(training_id)
    if feedback.attendee_registration(training, current_user) is None:
        raise Forbidden(_("Only the people who attended the training give feedback on it."))
    form = FeedbackForm()
    if form.validate_on_submit():
        try:
            given = feedback.submit_feedback(
                db.session, current_user, training, form.rating.data, form.comments.data or ""
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            page = url_for("trainings.feedback", training_id=training.id)
            form.claim("feedback", given, page)
            flash(_("Thank you: your feedback has been recorded."), "success")
            return redirect(page)
    return _feedback_page(training, form)

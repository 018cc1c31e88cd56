"""Minutes pages: read and edit, circulate, approve, reopen, revisions and their differences."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.core.errors import ValidationError
from portal.core.extensions import db
from portal.meetings import bp
from portal.meetings import minutes as service
from portal.meetings import minutes_reopening as reopening
from portal.meetings.minutes_forms import MinutesForm, ReopenMinutesForm
from portal.meetings.minutes_reading import minutes_summary
from portal.meetings.models import MinutesState
from portal.meetings.queries import get_meeting
from portal.web.forms import form_page, show_service_error


def _minutes_page(meeting, form: MinutesForm):
    if form.language.data == "es":  # the Spanish text's box says so (WCAG 3.1.2)
        form.body.render_kw = {**(form.body.render_kw or {}), "lang": "es"}
    return form_page(
        "meetings/minutes.html",
        form,
        meeting=meeting,
        minutes_summary=minutes_summary(db.session, current_user, meeting),
        editing=form.language.data if form.language.data in ("en", "es") else "en",
    )


@bp.route("/meetings/<int:meeting_id>/minutes", methods=["GET", "POST"])
def minutes(meeting_id: int):
    meeting = get_meeting(db.session, current_user, meeting_id)
    form = MinutesForm()
    if request.method == "GET":
        language = "es" if request.args.get("language") == "es" else "en"
        text_column, _html = service.TEXT_COLUMNS[language]
        form.language.data = language
        form.body.data = getattr(meeting.minutes, text_column) if meeting.minutes else ""
        form.base_revision.data = service.language_revision(meeting.minutes, language)
        return _minutes_page(meeting, form)
    service.require_minutes_editor(current_user, meeting)
    if form.validate_on_submit():
        try:
            service.save_minutes(
                db.session,
                current_user,
                meeting,
                form.body.data,
                form.base_revision.data,
                form.language.data or "en",
            )
        except service.StaleMinutes as conflict:
            return _conflict_page(meeting, conflict)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            flash(_("The minutes have been saved."), "success")
            language = form.language.data if form.language.data == "es" else None
            return redirect(url_for("meetings.minutes", meeting_id=meeting.id, language=language))
    return _minutes_page(meeting, form)


def _conflict_page(meeting, conflict: service.StaleMinutes):
    """409 with both texts; the form carries the writer's text, based on the current revision."""
    form = MinutesForm(formdata=None)
    form.body.data = conflict.theirs
    form.base_revision.data = conflict.current_revision
    form.language.data = (
        request.form.get("language") if request.form.get("language") == "es" else "en"
    )
    return render_template(
        "meetings/minutes_conflict.html",
        meeting=meeting,
        conflict=conflict,
        changes=service.text_diff(conflict.current, conflict.theirs),
        form=form,
    ), 409


@bp.route("/meetings/<int:meeting_id>/minutes/circulate", methods=["POST"])
def circulate_minutes(meeting_id: int):
    meeting = get_meeting(db.session, current_user, meeting_id)
    service.circulate_minutes(db.session, current_user, meeting)
    flash(_("The minutes have been circulated to the co-chairs for approval."), "success")
    return redirect(url_for("meetings.minutes", meeting_id=meeting.id))


@bp.route("/meetings/<int:meeting_id>/minutes/approve", methods=["POST"])
def approve_minutes(meeting_id: int):
    meeting = get_meeting(db.session, current_user, meeting_id)
    minutes = service.approve_minutes(db.session, current_user, meeting)
    if minutes.state == MinutesState.APPROVED:
        flash(_("The minutes are approved by every delegation."), "success")
    else:
        flash(_("Your delegation's approval has been recorded."), "success")
    return redirect(url_for("meetings.minutes", meeting_id=meeting.id))


@bp.route("/meetings/<int:meeting_id>/minutes/reopen", methods=["GET", "POST"])
def reopen_minutes(meeting_id: int):
    """Asks first, with the reason required; nothing changes until the form is sent."""
    meeting = get_meeting(db.session, current_user, meeting_id)
    reopening.require_minutes_reopener(current_user, meeting)
    form = ReopenMinutesForm()
    if form.validate_on_submit():
        try:
            reopening.reopen_minutes(db.session, current_user, meeting, form.reason.data)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            flash(
                _("The minutes are reopened: they can be edited, then approved again."),
                "success",
            )
            return redirect(url_for("meetings.minutes", meeting_id=meeting.id))
    return form_page(
        "meetings/minutes_reopen.html",
        form,
        meeting=meeting,
        minutes_summary=minutes_summary(db.session, current_user, meeting),
    )


@bp.route("/meetings/<int:meeting_id>/minutes/revisions")
def minutes_revisions(meeting_id: int):
    meeting = get_meeting(db.session, current_user, meeting_id)
    revisions = service.minutes_revisions(db.session, meeting.minutes)
    return render_template(
        "meetings/minutes_revisions.html",
        meeting=meeting,
        revisions=revisions,
        previous=service.previous_of_same_language(revisions),
        reopenings=service.minutes_reopenings(db.session, meeting.minutes),
    )


@bp.route("/meetings/<int:meeting_id>/minutes/diff")
def minutes_diff(meeting_id: int):
    meeting = get_meeting(db.session, current_user, meeting_id)
    a, b = request.args.get("a", type=int), request.args.get("b", type=int)
    return render_template(
        "meetings/minutes_diff.html",
        meeting=meeting,
        a=a,
        b=b,
        lines=service.revision_diff(meeting.minutes, a, b),
    )

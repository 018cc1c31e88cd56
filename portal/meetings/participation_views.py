"""Agenda, invitees, replies and attendance: the small forms of the meeting's pages.

The reply is on the reading page; the rest is on the management page (manage.py), where
each of them leads back. A form that fails re-renders its page with its errors (422,
nothing written).
"""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.accounts.models import User
from portal.core import past_events
from portal.core.errors import ValidationError
from portal.core.extensions import db
from portal.meetings import bp, confirmations, page, participation, queries
from portal.meetings.forms import REPLY_LABELS, AgendaItemForm, ReplyForm, attendance_form
from portal.meetings.manage import invitee_form, manage_page, managed_meeting
from portal.meetings.models import Attendance, Reply
from portal.meetings.reply_links import invitee_from_token
from portal.web.confirm import confirmation_page, is_confirmed
from portal.web.forms import page_number, show_service_error
from portal.web.public import public


def _back(meeting_id: int, anchor: str):
    """Back to the management page, where the form was."""
    return redirect(url_for("meetings.manage", meeting_id=meeting_id) + anchor)


# Agenda --------------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/agenda", methods=["POST"])
def add_agenda_item(meeting_id: int):
    meeting = managed_meeting(meeting_id)
    form = AgendaItemForm(prefix="agenda")
    if not form.validate_on_submit():
        return manage_page(meeting, 422, agenda_form=form)
    entry = participation.AgendaEntry(
        title=form.title.data or "",
        title_es=form.title_es.data or "",
        presenter=form.presenter.data or "",
        planned_minutes=form.planned_minutes.data,
    )
    item = participation.add_agenda_item(db.session, current_user, meeting, entry)
    form.claim("agenda_item", item, url_for("meetings.manage", meeting_id=meeting.id) + "#agenda")
    flash(_("The agenda item has been added."), "success")
    return _back(meeting.id, "#agenda")


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/remove", methods=["GET", "POST"])
def remove_agenda_item(meeting_id: int, item_id: int):
    meeting = managed_meeting(meeting_id)
    item = participation.agenda_item(meeting, item_id)
    if not is_confirmed():
        return confirmation_page(confirmations.remove_agenda_item(meeting, item))
    participation.remove_agenda_item(db.session, current_user, meeting, item_id)
    flash(_("The agenda item has been removed."), "success")
    return _back(meeting.id, "#agenda")


@bp.route(
    "/meetings/<int:meeting_id>/agenda/<int:item_id>/<any(up, down):direction>", methods=["POST"]
)
def move_agenda_item(meeting_id: int, item_id: int, direction: str):
    meeting = managed_meeting(meeting_id)
    participation.move_agenda_item(db.session, current_user, meeting, item_id, up=direction == "up")
    return _back(meeting.id, "#agenda")


# Invitees --------------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/invitees", methods=["POST"])
def add_invitee(meeting_id: int):
    meeting = managed_meeting(meeting_id)
    form = invitee_form(meeting, formdata=request.form)
    if form.validate_on_submit():
        person = db.session.get(User, form.user_id.data)
        try:
            invitee = participation.add_invitee(db.session, current_user, meeting, person)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            page_url = url_for("meetings.manage", meeting_id=meeting.id) + "#invitees"
            form.claim("invitee", invitee, page_url)
            flash(_("%(name)s has been invited.", name=invitee.user.name), "success")
            return _back(meeting.id, "#invitees")
    return manage_page(meeting, 422, invitee_form=form)


@bp.route("/meetings/<int:meeting_id>/invitees/<int:invitee_id>/remove", methods=["GET", "POST"])
def remove_invitee(meeting_id: int, invitee_id: int):
    meeting = managed_meeting(meeting_id)
    invitee = participation.invitee_of(meeting, invitee_id)
    if not is_confirmed():
        return confirmation_page(confirmations.remove_invitee(meeting, invitee))
    participation.remove_invitee(db.session, current_user, meeting, invitee_id)
    flash(_("The invitation has been withdrawn."), "success")
    return _back(meeting.id, "#invitees")


# Replies ----------------------------------------------------------------------------------


def _reply_from(form: ReplyForm) -> tuple[Reply, str, bool]:
    return Reply(form.reply.data), form.comment.data or "", form.following.data


@bp.route("/meetings/<int:meeting_id>/reply", methods=["POST"])
def reply(meeting_id: int):
    meeting = queries.get_meeting(db.session, current_user, meeting_id)
    form = ReplyForm()
    if form.validate_on_submit():
        answer, comment, following = _reply_from(form)
        try:
            participation.reply(
                db.session, current_user, meeting, answer, comment, following=following
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            flash(_("Your reply has been saved: %(reply)s.", reply=REPLY_LABELS[answer]), "success")
            return redirect(url_for("meetings.detail", meeting_id=meeting.id) + "#reply")
    return page.meeting_page(db.session, current_user, meeting.id, reply_form=form, status=422)


@bp.route("/meetings/reply/<token>", methods=["GET", "POST"])
@public
def reply_by_link(token: str):
    """The link in an invitation mail: a page to confirm, so mail scanners that open links
    change nothing; no login needed, the signed token names the one invitation."""
    invitee = invitee_from_token(db.session, token)
    g.preferred_language = invitee.user.language
    meeting = invitee.meeting
    form = ReplyForm()
    if request.method == "GET":
        answer = request.args.get("answer", "")
        form.reply.data = answer if answer in {r.value for r in Reply} else None
        form.following.data = meeting.series is not None
    elif form.validate_on_submit():
        answer, comment, following = _reply_from(form)
        try:
            participation.reply(
                db.session, invitee.user, meeting, answer, comment, following=following
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            return render_template(
                "meetings/reply_done.html",
                meeting=meeting,
                invitee=invitee,
                reply=REPLY_LABELS[answer],
            )
    status = 422 if form.errors else 200
    return render_template(
        "meetings/reply.html",
        form=form,
        meeting=meeting,
        invitee=invitee,
        over=past_events.is_over(meeting),
    ), status


# Attendance -------------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/attendance", methods=["POST"])
def record_attendance(meeting_id: int):
    meeting = managed_meeting(meeting_id)
    # Only the people whose choice was sent: the form shows one page of the invitees, and
    # recording it leaves the others' attendance as it was.
    sent = [i for i in meeting.invitees if f"invitee_{i.id}" in request.form]
    form = attendance_form([(i.id, i.user.name, i.attendance) for i in sent], request.form)
    if form.validate_on_submit():
        marks = {i.id: Attendance(form[f"invitee_{i.id}"].data) for i in sent}
        try:
            participation.record_attendance(db.session, current_user, meeting, marks)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            flash(_("Attendance has been recorded."), "success")
            page = page_number(request.form)
            return _back(meeting.id, f"?page={page}#attendance" if page > 1 else "#attendance")
    return manage_page(meeting, 422, attendance_form=form)

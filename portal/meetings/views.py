"""Meeting pages: lists, scheduling, the meeting page, replies, attendance, calendars."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from portal.calendar.forms import LOCAL_FORMAT, ask_which_local_time
from portal.calendar.localtime import AmbiguousLocalTime
from portal.core import past_events
from portal.core.errors import ValidationError
from portal.core.extensions import db
from portal.core.i18n import current_language, select_timezone
from portal.core.kept import ProcessStore
from portal.core.timezones import is_valid_timezone
from portal.core.tlp import TLP
from portal.documents import services as documents
from portal.documents.forms import AttachDocumentForm
from portal.meetings import access, attachments, bp, cancelling, confirmations, page, queries
from portal.meetings import services as meetings
from portal.meetings.forms import (
    CancelMeetingForm,
    EditMeetingForm,
    NewMeetingForm,
)
from portal.meetings.manage import manage_page, managed_meeting
from portal.meetings.manage_kept import kept_manage_page
from portal.meetings.recurrence import AmbiguousOccurrences, Frequency, Recurrence
from portal.meetings.working_hours import OffHours
from portal.mous import services as mous
from portal.mous.group_page import load_group
from portal.mous.kept_pages import keep_page, kept_page, reader_key
from portal.web.confirm import confirmation_page, is_confirmed
from portal.web.forms import form_page, options, page_number, show_service_error

# Lists ------------------------------------------------------------------------------------


@bp.route("/working-groups/<int:group_id>/meetings")
def group_meetings(group_id: int):
    """Kept whole for the reader (portal/mous/kept_pages.py, as the group's own page): one
    short statement finds it. Else the group is read (404, 403) and the list made."""
    past = request.args.get("when") == "past"
    number = page_number(request.args)
    missing = request.args.get("missing") == "1"
    key = reader_key(db.session, current_user, "group-meetings", (group_id, past, number, missing))
    kept = kept_page(db.session, key)
    if kept is None:
        kept = keep_page(db.session, key, lambda: _group_list_page(group_id, past, number, missing))
    heading, content = kept
    return render_template("meetings/list.html", group=heading, content=content)


def _group_list_page(group_id: int, past: bool, number: int, missing: bool) -> tuple:
    # The group as plain rows in one statement (what the rules and the breadcrumb read).
    group = load_group(db.session, current_user, group_id)
    can_schedule = access.can_manage_meetings(current_user, group)
    untranslated = can_schedule and missing
    page = queries.group_meetings(
        db.session, current_user, group, past=past, page=number, untranslated=untranslated
    )
    # The list is the same for everyone given the same rows, page and controls, in a language
    # and zone: kept under all of that (a meeting changed, over or hidden gives other rows).
    shown = {"group": _heading(group), "page": page, "past": past}
    shown |= {"can_schedule": can_schedule, "untranslated": untranslated}
    key = (shown["group"], tuple(page.items), page.page, page.total, past, can_schedule)
    key += (untranslated, current_language(), select_timezone())
    return shown["group"], GROUP_LISTS.get(db.session, key, lambda: _group_list(**shown))


GROUP_LISTS = ProcessStore("group-meeting-lists", size=1024)


@dataclass(frozen=True)
class _MouTitle:
    id: int
    title_en: str
    title_es: str


@dataclass(frozen=True)
class _GroupHeading:
    """All the kept list shows of its group (the breadcrumb): its key hashes this, not the
    group's members, which the list does not show."""

    id: int
    name_en: str
    name_es: str
    mou: _MouTitle


def _heading(group) -> _GroupHeading:
    mou = _MouTitle(group.mou.id, group.mou.title_en, group.mou.title_es)
    return _GroupHeading(group.id, group.name_en, group.name_es, mou)


def _group_list(**context) -> Markup:
    html = render_template("meetings/_group_list.html", **context)
    return Markup(html)  # noqa: S704 - rendered by the template, escaped  # nosec B704


# Scheduling ---------------------------------------------------------------------------------


def _details(form) -> meetings.MeetingDetails:
    return meetings.MeetingDetails(
        title_en=form.title_en.data,
        title_es=form.title_es.data,
        description_md=form.description_md.data or "",
        description_md_es=form.description_md_es.data or "",
        start_local=form.start_local.data,
        end_local=form.end_local.data,
        timezone=form.timezone.data,
        place=form.place.data or "",
        video_url=form.video_url.data or "",
        tlp=TLP(form.tlp.data),
        start_fold=int(form.start_fold.data) if form.start_fold.data in ("0", "1") else None,
        end_fold=int(form.end_fold.data) if form.end_fold.data in ("0", "1") else None,
    )


def _recurrence(form: NewMeetingForm) -> Recurrence | None:
    if form.repeat.data == "none":
        return None
    return Recurrence(
        frequency=Frequency(form.repeat.data),
        interval=form.interval.data or 1,
        until_on=form.until_on.data,
        count=form.count.data,
    )


@bp.route("/working-groups/<int:group_id>/meetings/new", methods=["GET", "POST"])
def new_meeting(group_id: int):
    group = mous.get_working_group(db.session, current_user, group_id, members=False)
    meetings.require_manager(current_user, group)
    form = NewMeetingForm()
    if request.method == "GET":
        form.timezone.data = current_user.timezone
        _fill_from_find_a_time(form)
    asked: set[str] = set()
    ambiguous = []
    if form.validate_on_submit():
        try:
            meeting = meetings.schedule_meeting(
                db.session,
                current_user,
                group,
                _details(form),
                _recurrence(form),
                confirm_ambiguous=form.confirm_ambiguous.data,
                record_past=form.record_past.data,
                confirm_off_hours=_off_hours_confirmation(form),
            )
        except AmbiguousLocalTime as error:
            ask_which_local_time(form, error, asked)
        except OffHours as error:
            _ask_about_off_hours(form, error)
        except AmbiguousOccurrences as error:
            ambiguous = error.moments
            form.confirm_ambiguous.errors = [error.message]
        except ValidationError as error:
            show_service_error(form, error)
        else:
            page = url_for("meetings.detail", meeting_id=meeting.id)
            form.claim("meeting", meeting, page)
            if form.record_past.data and past_events.is_in_the_past(meeting.starts_at):
                flash(_("The past meeting has been recorded; no invitation was sent."), "success")
            else:
                flash(_("The meeting has been scheduled and the invitations sent."), "success")
            return redirect(page)
    return form_page(
        "meetings/form.html", form, group=group, meeting=None, asked=asked, ambiguous=ambiguous
    )


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
def edit_meeting(meeting_id: int):
    meeting = queries.get_meeting(db.session, current_user, meeting_id)
    meetings.require_manager(current_user, meeting.working_group)
    form = EditMeetingForm(obj=meeting)
    if request.method == "GET":
        form.start_local.data = meeting.starts_at.astimezone(_zone(meeting)).replace(tzinfo=None)
        form.end_local.data = meeting.ends_at.astimezone(_zone(meeting)).replace(tzinfo=None)
        form.tlp.data = meeting.tlp.value
        form.description_md.data = meeting.description_md_en  # not the hybrid's either
        _fill_from_find_a_time(form)
    asked: set[str] = set()
    if form.validate_on_submit():
        try:
            changes = meetings.update_meeting(
                db.session,
                current_user,
                meeting,
                _details(form),
                meetings.Scope(form.scope.data),
                confirm_off_hours=_off_hours_confirmation(form),
            )
        except AmbiguousLocalTime as error:
            ask_which_local_time(form, error, asked)
        except OffHours as error:
            _ask_about_off_hours(form, error)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            if changes:
                flash(_("The meeting has been changed and the invitees told."), "success")
            else:
                flash(_("Nothing was changed."), "info")
            return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    return form_page(
        "meetings/form.html",
        form,
        group=meeting.working_group,
        meeting=meeting,
        asked=asked,
        ambiguous=[],
    )


def _off_hours_confirmation(form) -> str | bool:
    """The question the box confirms (its fingerprint), or False when it is not ticked."""
    return form.off_hours_question.data if form.confirm_off_hours.data else False


def _ask_about_off_hours(form, error: OffHours) -> None:
    """Show the reasons above the box, unticked, with the question they make."""
    form.confirm_off_hours.errors = error.reasons
    form.confirm_off_hours.data = False
    form.off_hours_question.data = error.fingerprint


def _fill_from_find_a_time(form) -> None:
    """A slot chosen on the find-a-time page: its start, end and zone, from the link's query
    arguments (anything that is not a local time or a known zone is ignored)."""
    for name in ("start_local", "end_local"):
        try:
            value = datetime.strptime(request.args.get(name, ""), LOCAL_FORMAT)
        except ValueError:
            continue
        getattr(form, name).data = value
    zone = request.args.get("timezone", "")
    if is_valid_timezone(zone):
        form.timezone.data = zone


def _zone(meeting) -> ZoneInfo:
    return ZoneInfo(meeting.timezone)


@bp.route("/meetings/<int:meeting_id>/cancel", methods=["GET", "POST"])
def cancel_meeting(meeting_id: int):
    meeting = managed_meeting(meeting_id)
    form = _cancel_form()
    if not form.validate():
        flash(_("Choose what to cancel."), "danger")
        return redirect(url_for("meetings.manage", meeting_id=meeting.id))
    scope = meetings.Scope(form.scope.data)
    if not is_confirmed():
        return _ask_to_cancel(meeting, scope)
    cancelling.cancel_meeting(db.session, current_user, meeting, scope)
    flash(_("The meeting has been cancelled and the invitees told."), "success")
    return redirect(url_for("meetings.manage", meeting_id=meeting.id))


def _cancel_form() -> CancelMeetingForm:
    """The scope chosen on the meeting page (posted) or in the confirmation page's link."""
    if request.method == "GET":
        return CancelMeetingForm(formdata=request.args, meta={"csrf": False})
    return CancelMeetingForm()


def _ask_to_cancel(meeting, scope: meetings.Scope):
    """The confirmation page, refused as the cancellation would be; none once cancelled."""
    if meeting.is_cancelled:
        return redirect(url_for("meetings.manage", meeting_id=meeting.id))
    past_events.require_meeting_cancellable(meeting)
    return confirmation_page(confirmations.cancel_meeting(db.session, meeting, scope))


# The meeting page ---------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>")
def detail(meeting_id: int):
    return page.meeting_page(db.session, current_user, meeting_id)


@bp.route("/meetings/<int:meeting_id>/manage")
def manage(meeting_id: int):
    """The management page: only for those who manage the meeting (manage.py)."""
    return kept_manage_page(db.session, request.values, meeting_id)


# Documents on meeting agenda items ----------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/documents", methods=["POST"])
def attach_to_agenda_item(meeting_id: int, item_id: int):
    meeting = queries.get_meeting(db.session, current_user, meeting_id)
    attachments.require_meeting_manager(current_user, meeting)
    form = AttachDocumentForm(prefix="attach")
    # Among what the page offered: the latest documents, or those found by the words searched.
    search = request.form.get("documents", "")
    candidates = attachments.agenda_documents(db.session, current_user, meeting, search)
    form.document_id.choices = options(candidates.candidates)
    if form.validate_on_submit():
        document = documents.get_document(db.session, current_user, form.document_id.data)
        attachments.attach_document(db.session, current_user, meeting, item_id, document)
        flash(_("The document has been attached."), "success")
        return redirect(url_for("meetings.manage", meeting_id=meeting.id) + "#agenda")
    return manage_page(meeting, 422, attach_form=form, attach_item_id=item_id)


@bp.route(
    "/meetings/<int:meeting_id>/agenda/<int:item_id>/documents/<int:document_id>/remove",
    methods=["GET", "POST"],
)
def detach_from_agenda_item(meeting_id: int, item_id: int, document_id: int):
    meeting = queries.get_meeting(db.session, current_user, meeting_id)
    attachments.require_meeting_manager(current_user, meeting)
    item, document = attachments.attached(db.session, current_user, meeting, item_id, document_id)
    if not is_confirmed():
        return confirmation_page(confirmations.detach_document(meeting, item, document))
    attachments.detach_document(db.session, current_user, meeting, item_id, document_id)
    flash(_("The document is no longer attached."), "success")
    return redirect(url_for("meetings.manage", meeting_id=meeting.id) + "#agenda")

"""Action item pages: new and edit forms, the item page (the list: list_views.py)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.actions import access, bp, queries
from portal.actions import services as actions
from portal.actions.forms import (
    FIELD_LABELS,
    PRIORITY_LABELS,
    STATUS_LABELS,
    ActionForm,
    CommentForm,
    NewActionForm,
    StatusForm,
)
from portal.actions.models import ActionStatus, Priority
from portal.core.bilingual import missing_translation
from portal.core.errors import ValidationError
from portal.core.extensions import db
from portal.core.i18n import localized, show_datetime
from portal.meetings.queries import get_meeting
from portal.mous import services as mous
from portal.web.forms import form_page, options, show_service_error

# Creating and editing -----------------------------------------------------------------------


def _item_form(group, item=None, meeting=None) -> ActionForm:
    """The item's form; a new item from a meeting's page starts on that meeting."""
    if item is not None:
        form = ActionForm(obj=item)
    else:
        form = NewActionForm(data={"meeting_id": meeting.id if meeting else 0})
    people = queries.group_people(db.session, group)
    form.owner_ids.choices = options((p.id, f"{p.name} ({p.party.code})") for p in people)
    form.party_id.choices = options((p.id, localized(p, "name")) for p in group.mou.parties)
    form.line_id.choices = options(
        [(0, _l("None")), *((line.id, localized(line, "title")) for line in group.mou.lines)]
    )
    form.meeting_id.choices = _meeting_options(group, form.meeting_id.data)
    if request.method == "GET" and item is not None:
        form.title.data = item.title_en  # the English versions, not the hybrids' either
        form.description_md.data = item.description_md_en
        form.owner_ids.data = [person.id for person in item.owners]
        form.party_id.data = item.responsible_party_id
        form.line_id.data = item.line_id or 0
        form.priority.data = item.priority.value
    return form


def _meeting_options(group, chosen_id: int | None) -> list:
    """ "None" first, then the group's recent meetings: when (in the reader's zone) and title."""
    meetings = queries.meetings_of_origin(db.session, current_user, group, chosen_id)
    return options(
        [
            (0, _l("None")),
            *((m.id, f"{show_datetime(m.starts_at)} · {localized(m, 'title')}") for m in meetings),
        ]
    )


def _details(form: ActionForm, group, people_by_id) -> actions.ActionDetails:
    parties = {party.id: party for party in group.mou.parties}
    lines = {line.id: line for line in group.mou.lines}
    return actions.ActionDetails(
        title_en=form.title.data or "",
        title_es=form.title_es.data or "",
        description_md_en=form.description_md.data or "",
        description_md_es=form.description_md_es.data or "",
        owners=[people_by_id[i] for i in form.owner_ids.data if i in people_by_id],
        responsible_party=parties[form.party_id.data],
        due_on=form.due_on.data,
        priority=Priority(form.priority.data),
        line=lines.get(form.line_id.data),
        meeting_id=form.meeting_id.data or None,
    )


def _people_by_id(group) -> dict:
    return {person.id: person for person in queries.group_people(db.session, group)}


def _create(group, meeting=None):
    actions.require_worker(current_user, group)
    form = _item_form(group, meeting=meeting)
    if form.validate_on_submit():
        try:
            item = actions.create_action(
                db.session,
                current_user,
                group,
                _details(form, group, _people_by_id(group)),
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            page = url_for("actions.detail", item_id=item.id)
            form.claim("action", item, page)
            flash(_("The action item has been created and its owners told."), "success")
            return redirect(page)
    return form_page("actions/form.html", form, group=group, item=None)


@bp.route("/working-groups/<int:group_id>/actions/new", methods=["GET", "POST"])
def new_action(group_id: int):
    return _create(mous.get_working_group(db.session, current_user, group_id))


@bp.route("/meetings/<int:meeting_id>/actions/new", methods=["GET", "POST"])
def new_action_from_meeting(meeting_id: int):
    meeting = get_meeting(db.session, current_user, meeting_id)
    return _create(meeting.working_group, meeting)


@bp.route("/actions/<int:item_id>/edit", methods=["GET", "POST"])
def edit(item_id: int):
    item = queries.get_action(db.session, current_user, item_id)
    group = item.working_group
    actions.require_worker(current_user, group)
    form = _item_form(group, item)
    if form.validate_on_submit():
        try:
            changed = actions.update_action(
                db.session, current_user, item, _details(form, group, _people_by_id(group))
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            flash(_("The action item has been saved.") if changed else _("Nothing was changed."))
            return redirect(url_for("actions.detail", item_id=item.id))
    return form_page("actions/form.html", form, group=group, item=item)


# The item page ------------------------------------------------------------------------------


def _status_form() -> StatusForm:
    return StatusForm(prefix="status")


def item_page(item, status: int = 200, **forms):
    context = {
        "status_form": _status_form(),
        "comment_form": CommentForm(prefix="comment"),
        **forms,
    }
    # Validated against every status (a stale page gets a clear refusal); offers the next ones.
    next_statuses = sorted(actions.TRANSITIONS[item.status], key=list(ActionStatus).index)
    context["status_form"].status.choices = options((s, STATUS_LABELS[s]) for s in next_statuses)
    html = render_template(
        "actions/detail.html",
        item=item,
        group=item.working_group,
        today=queries.today(),
        can_edit=access.can_work_on_actions(current_user, item.working_group),
        missing=missing_translation(item, *queries.TRANSLATED_FIELDS),
        can_change_status=access.can_change_action_status(current_user, item),
        can_comment=access.can_comment_on_action(current_user, item),
        status_labels=STATUS_LABELS,
        priority_labels=PRIORITY_LABELS,
        field_labels=FIELD_LABELS,
        **context,
    )
    return html, status


@bp.route("/actions/<int:item_id>")
def detail(item_id: int):
    return item_page(queries.get_action(db.session, current_user, item_id))


@bp.route("/actions/<int:item_id>/status", methods=["POST"])
def change_status(item_id: int):
    item = queries.get_action(db.session, current_user, item_id)
    form = _status_form()
    actions.require_status_changer(current_user, item)
    if form.validate_on_submit():
        try:
            actions.change_status(
                db.session, current_user, item, ActionStatus(form.status.data), form.reason.data
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            flash(_("The status has been changed."), "success")
            return redirect(url_for("actions.detail", item_id=item.id))
    return item_page(item, 422, status_form=form)


@bp.route("/actions/<int:item_id>/comments", methods=["POST"])
def comment(item_id: int):
    item = queries.get_action(db.session, current_user, item_id)
    form = CommentForm(prefix="comment")
    actions.require_commenter(current_user, item)
    if form.validate_on_submit():
        update = actions.add_comment(db.session, current_user, item, form.body.data)
        page = url_for("actions.detail", item_id=item.id) + "#updates"
        form.claim("action_comment", update, page)
        flash(_("Your update has been posted."), "success")
        return redirect(page)
    return item_page(item, 422, comment_form=form)


# Hooks into other features' pages (one include line each) ----------------------------------


@bp.app_template_global()
def agreed_actions(meeting) -> list:
    """The "Actions agreed" of a meeting's minutes view."""
    return queries.agreed_in_meeting(db.session, current_user, meeting)


@bp.app_template_global()
def can_create_actions(group) -> bool:
    return access.can_work_on_actions(current_user, group)

"""The JSON API, /api/v1/: thin handlers over the features' queries and services.

Every view is public to the portal's login gate (portal.web.public) because the API has its
own: portal.api.auth answers 401 without a valid bearer token before any view runs. What a
token's person may see or do is decided by the features' access.py, as on the pages.
"""

from flask import Blueprint, current_app, render_template
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import UnprocessableEntity

from portal.actions import services as actions
from portal.actions.models import ActionStatus
from portal.actions.queries import get_action
from portal.api import bp
from portal.api.description import description
from portal.api.kept import meetings_page
from portal.api.problems import invalid_input, problem, refused_by_rule
from portal.api.queries import BadCursor, list_visible
from portal.api.schemas import (
    ActionIn,
    ActionOut,
    CommitmentOut,
    DocumentOut,
    GroupFilter,
    MeetingOut,
    MouFilter,
    MouOut,
    PageQuery,
    StatusIn,
    TrainingOut,
    WorkingGroupOut,
    page_of,
)
from portal.api.services import action_details
from portal.commitments.services import get_commitment
from portal.core.errors import ValidationError
from portal.core.extensions import db
from portal.documents.services import get_document
from portal.meetings.queries import get_meeting
from portal.mous.services import get_mou, get_working_group
from portal.trainings.services import get_training
from portal.web.public import public

bp.register_error_handler(UnprocessableEntity, invalid_input)
bp.register_error_handler(ValidationError, refused_by_rule)


def _page(collection: str, query: dict, **filters):
    try:
        return list_visible(
            db.session,
            current_user,
            collection,
            cursor=query.get("cursor"),
            limit=query["limit"],
            **filters,
        )
    except BadCursor:
        return problem(400, _("This cursor was not given by this list: start again without it."))


# The description and its page ----------------------------------------------------------------


@public
def openapi():
    return description(current_app, bp)


@public
def documentation():
    return render_template("api/documentation.html", spec=description(current_app, bp))


# Flask's own add_url_rule: the description does not describe itself or its page.
Blueprint.add_url_rule(bp, "/openapi.json", "openapi", openapi)
Blueprint.add_url_rule(bp, "/docs", "documentation", documentation)


# MoUs and working groups ---------------------------------------------------------------------


@bp.route("/mous")
@public
@bp.arguments(PageQuery, location="query")
@bp.response(200, page_of(MouOut))
def mous(query):
    """The MoUs of the token's party (every MoU for an administrator)."""
    return _page("mous", query)


@bp.route("/mous/<int(min=1, max=2147483647):mou_id>")
@public
@bp.response(200, MouOut)
def mou(mou_id):
    return get_mou(db.session, current_user, mou_id)


@bp.route("/working-groups")
@public
@bp.arguments(MouFilter, location="query")
@bp.response(200, page_of(WorkingGroupOut))
def working_groups(query):
    """The working groups the token's person may see, optionally of one MoU."""
    return _page("working_groups", query, mou_id=query.get("mou_id"))


@bp.route("/working-groups/<int(min=1, max=2147483647):group_id>")
@public
@bp.response(200, WorkingGroupOut)
def working_group(group_id):
    return get_working_group(db.session, current_user, group_id)


# Meetings ------------------------------------------------------------------------------------


@bp.route("/meetings")
@public
@bp.arguments(GroupFilter, location="query")
@bp.response(200, page_of(MeetingOut))
def meetings(query):
    """Meetings with their iCalendar UID and both parties' local times."""
    try:
        return meetings_page(
            db.session,
            current_user,
            cursor=query.get("cursor"),
            limit=query["limit"],
            working_group_id=query.get("working_group_id"),
        )
    except BadCursor:
        return problem(400, _("This cursor was not given by this list: start again without it."))


@bp.route("/meetings/<int(min=1, max=2147483647):meeting_id>")
@public
@bp.response(200, MeetingOut)
def meeting(meeting_id):
    return get_meeting(db.session, current_user, meeting_id)


# Action items --------------------------------------------------------------------------------


@bp.route("/action-items", methods=["GET"])
@public
@bp.arguments(GroupFilter, location="query")
@bp.response(200, page_of(ActionOut))
def action_items(query):
    return _page("action_items", query, working_group_id=query.get("working_group_id"))


@bp.route("/action-items", methods=["POST"], endpoint="create_action_item")
@public
@bp.arguments(ActionIn)
@bp.response(201, ActionOut)
def create_action_item(data):
    """Create an action item (a read-write token; the group's members and coordinators)."""
    group = get_working_group(db.session, current_user, data["working_group_id"])
    details = action_details(db.session, group, data)
    return actions.create_action(db.session, current_user, group, details)


@bp.route("/action-items/<int(min=1, max=2147483647):item_id>")
@public
@bp.response(200, ActionOut)
def action_item(item_id):
    return get_action(db.session, current_user, item_id)


@bp.route("/action-items/<int(min=1, max=2147483647):item_id>/status", methods=["POST"])
@public
@bp.arguments(StatusIn)
@bp.response(200, ActionOut)
def action_item_status(data, item_id):
    """Change the status (a read-write token; the item's owners and the coordinators)."""
    item = get_action(db.session, current_user, item_id)
    actions.change_status(
        db.session, current_user, item, ActionStatus(data["status"]), data["reason"]
    )
    return item


# Documents and trainings ---------------------------------------------------------------------


@bp.route("/documents")
@public
@bp.arguments(MouFilter, location="query")
@bp.response(200, page_of(DocumentOut))
def documents(query):
    """Documents' metadata, as TLP lets the token's person open them; never their content."""
    return _page("documents", query, mou_id=query.get("mou_id"))


@bp.route("/documents/<int(min=1, max=2147483647):document_id>")
@public
@bp.response(200, DocumentOut)
def document(document_id):
    return get_document(db.session, current_user, document_id)


@bp.route("/trainings")
@public
@bp.arguments(MouFilter, location="query")
@bp.response(200, page_of(TrainingOut))
def trainings(query):
    return _page("trainings", query, mou_id=query.get("mou_id"))


@bp.route("/trainings/<int(min=1, max=2147483647):training_id>")
@public
@bp.response(200, TrainingOut)
def training(training_id):
    return get_training(db.session, current_user, training_id)


# Commitments ---------------------------------------------------------------------------------


@bp.route("/commitments")
@public
@bp.arguments(MouFilter, location="query")
@bp.response(200, page_of(CommitmentOut))
def commitments(query):
    """Commitments per line of cooperation of the MoUs the token's person may see."""
    return _page("commitments", query, mou_id=query.get("mou_id"))


@bp.route("/commitments/<int(min=1, max=2147483647):commitment_id>")
@public
@bp.response(200, CommitmentOut)
def commitment(commitment_id):
    return get_commitment(db.session, current_user, commitment_id)

from flask import render_template, request
from flask_login import current_user

from portal.audit import bp
from portal.audit.services import list_events
from portal.extensions import db
from portal.forms import page_number


@bp.route("/")
def events():
    action = request.args.get("action", "").strip()[:64] or None
    page = list_events(db.session, current_user, page=page_number(request.args), action=action)
    return render_template("audit/events.html", page=page, action=action)

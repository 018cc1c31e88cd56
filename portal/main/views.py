"""The dashboard, the language switcher and the health check."""

from flask import current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal.accounts.services import set_language
from portal.core.extensions import db
from portal.main import bp
from portal.main.dashboard import dashboard
from portal.main.kept_pages import GENERATION  # noqa: F401 - declared when the views are
from portal.web.public import public
from portal.web.safe_redirect import safe_local_path


@bp.route("/")
def index():
    """What needs the reader's attention, then their next meetings and trainings, open action
    items, working groups (paged) and the first page of their MoUs, each linking to its full
    list: the declared lines and panels."""
    attention, panels = dashboard(db.session, current_user)
    return render_template("main/dashboard.html", attention=attention, panels=panels)


@bp.route("/language", methods=["POST"])
@public
def set_language_choice():
    """The switcher: remembered in the session, and on the account when logged in."""
    language = request.form.get("language", "")
    if language in current_app.config["LANGUAGES"]:
        session["language"] = language
        if current_user.is_authenticated:
            set_language(current_user, language)
    else:
        flash(_("Choose English or Spanish."), "warning")
    return redirect(safe_local_path(request.form.get("next"), url_for("main.index")))


@bp.route("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable", database="down"), 503
    return jsonify(status="ok", database="up")

"""The person's login sessions: where they are signed in, and signing any of them out."""

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from portal.accounts import bp
from portal.accounts import sessions as login_sessions
from portal.accounts.devices import device_name
from portal.accounts.forms import ConfirmForm
from portal.core.extensions import db


@bp.route("/account/sessions")
def sessions():
    token = session.get("sid")
    rows = [
        {
            "session": row,
            "device": device_name(row.user_agent),
            "current": login_sessions.is_current(row, token),
        }
        for row in login_sessions.active_sessions(db.session, current_user)
    ]
    rows.sort(key=lambda row: not row["current"])  # this browser first, then by last use
    return render_template("accounts/sessions.html", rows=rows, form=ConfirmForm())


@bp.route("/account/sessions/<int:session_id>/end", methods=["POST"])
def end_session(session_id: int):
    if ConfirmForm().validate_on_submit():
        login_sessions.end_own_session(db.session, current_user, session_id)
        flash(_("That session has been signed out."), "success")
    return redirect(url_for("accounts.sessions"))


@bp.route("/account/sessions/end-others", methods=["GET", "POST"])
def end_other_sessions():
    """Asks first (GET), then signs out every other session (POST)."""
    form = ConfirmForm()
    if form.validate_on_submit():
        count = login_sessions.end_other_sessions(db.session, current_user, session.get("sid"))
        flash(
            ngettext(
                "%(num)d other session has been signed out.",
                "%(num)d other sessions have been signed out.",
                count,
            ),
            "success",
        )
        return redirect(url_for("accounts.sessions"))
    others = [
        row
        for row in login_sessions.active_sessions(db.session, current_user)
        if not login_sessions.is_current(row, session.get("sid"))
    ]
    return render_template("accounts/end_other_sessions.html", form=form, count=len(others))

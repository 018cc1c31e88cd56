"""Changing one's email address: asked with the password, confirmed from the new mailbox."""

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.accounts import bp, email_change
from portal.accounts.forms import ChangeEmailForm, ConfirmForm
from portal.core.errors import ValidationError
from portal.core.extensions import db
from portal.web.forms import form_page, show_service_error


@bp.route("/account/email", methods=["GET", "POST"])
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            email = email_change.request_email_change(db.session, current_user, form.email.data)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            flash(
                _(
                    "A confirmation link is on its way to %(email)s. "
                    "Your address changes when you follow it.",
                    email=email,
                ),
                "info",
            )
            return redirect(url_for("accounts.profile"))
    return form_page("accounts/change_email.html", form)


@bp.route("/account/email/confirm/<token>", methods=["GET", "POST"])
def confirm_email_change(token: str):
    """Asks first (GET), then changes the address (POST)."""
    new_email = email_change.pending_email_change(current_user, token)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            email_change.confirm_email_change(db.session, current_user, token)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            flash(_("Your email address is now %(email)s.", email=new_email), "success")
            return redirect(url_for("accounts.profile"))
    return form_page("accounts/confirm_email_change.html", form, new_email=new_email)

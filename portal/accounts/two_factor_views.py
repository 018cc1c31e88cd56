"""The second factor's pages: the code at login, set-up, recovery codes, the admin's reset."""

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.accounts import access, bp, pending_login, totp, two_factor
from portal.accounts import services as accounts
from portal.accounts.two_factor_forms import EnrolmentForm, PasswordAgainForm, SecondFactorForm
from portal.accounts.views import begin_session
from portal.core import access as core_access
from portal.core.errors import Forbidden, ValidationError
from portal.core.extensions import db
from portal.web.forms import form_page, show_service_error
from portal.web.public import public

_SETUP_SECRET = "two_factor_setup_secret"  # noqa: S105  (the session key's name)
# What a person who must enrol first may still reach: the set-up itself, the language
# switch and the way out.
ENROLMENT_ENDPOINTS = frozenset(
    {
        "accounts.two_factor_setup",
        "accounts.logout",
        "main.set_language_choice",
        "static",
        "bootstrap.static",
    }
)


def require_enrolment():
    """before_request hook: administrators and coordinators set up the second factor before
    anything else."""
    if (
        request.endpoint not in ENROLMENT_ENDPOINTS
        and current_user.is_authenticated
        and core_access.must_use_second_factor(current_user)
        and not current_user.has_second_factor
    ):
        return redirect(url_for("accounts.two_factor_setup"))
    return None


@bp.route("/auth/second-factor", methods=["GET", "POST"])
@public  # throttled by its failures (accounts/throttle.py), as the password step is
def second_factor():
    pending = pending_login.pending_user(db.session)
    if pending is None:
        flash(_("Please log in again."), "info")
        return redirect(url_for("accounts.login"))
    user, next_path = pending
    form = SecondFactorForm()
    if not form.validate_on_submit():
        return form_page("accounts/second_factor.html", form)
    if not two_factor.verify_at_login(db.session, user, form.code.data, request.remote_addr):
        db.session.commit()  # the failure is counted and audited although the answer is an error
        form.form_errors.append(
            _(
                "The code is not correct or was used already, or the account is locked for "
                "15 minutes after too many attempts."
            )
        )
        return form_page("accounts/second_factor.html", form)
    begin_session(user)
    return redirect(next_path)


@bp.route("/account/two-factor")
def two_factor_overview():
    user = current_user
    return render_template(
        "accounts/two_factor.html",
        form=PasswordAgainForm(),
        required=core_access.must_use_second_factor(user),
        unused_codes=two_factor.unused_recovery_codes(db.session, user)
        if user.has_second_factor
        else 0,
    )


@bp.route("/account/two-factor/setup", methods=["GET", "POST"])
def two_factor_setup():
    secret = session.get(_SETUP_SECRET) or totp.new_secret()
    session[_SETUP_SECRET] = secret
    form = EnrolmentForm()
    if form.validate_on_submit():
        enrolment = two_factor.Enrolment(
            secret=secret, password=form.password.data, code=form.code.data
        )
        try:
            codes = two_factor.enrol(db.session, current_user, enrolment)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            begin_session(current_user._get_current_object())  # forgets the set-up secret
            flash(_("Two-step verification is on. Other sessions have been logged out."), "success")
            return render_template("accounts/recovery_codes.html", codes=codes)
    uri = totp.provisioning_uri(secret, current_user.email, two_factor.issuer())
    return form_page(
        "accounts/two_factor_setup.html",
        form,
        qr_code=totp.qr_code_data_uri(uri),
        secret=totp.spaced(secret),
        required=core_access.must_use_second_factor(current_user),
    )


@bp.route("/account/two-factor/recovery-codes", methods=["POST"])
def renew_recovery_codes():
    form = PasswordAgainForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.renew_recovery_codes(db.session, current_user, form.password.data)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            return render_template("accounts/recovery_codes.html", codes=codes)
    return _overview_with_errors(form)


@bp.route("/account/two-factor/disable", methods=["POST"])
def disable_two_factor():
    form = PasswordAgainForm()
    if form.validate_on_submit():
        try:
            two_factor.disable(db.session, current_user, form.password.data)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            flash(_("Two-step verification is off."), "success")
            return redirect(url_for("accounts.two_factor_overview"))
    return _overview_with_errors(form)


def _overview_with_errors(form):
    unused = two_factor.unused_recovery_codes(db.session, current_user)
    return form_page(
        "accounts/two_factor.html",
        form,
        required=core_access.must_use_second_factor(current_user),
        unused_codes=unused,
    )


@bp.route("/admin/accounts/<int:user_id>/two-factor/reset", methods=["GET", "POST"])
def reset_two_factor(user_id: int):
    account = accounts.get_account(db.session, current_user, user_id)
    if not access.can_reset_second_factor(current_user, account):
        raise Forbidden()
    if request.method == "POST":  # CSRFProtect has checked the form's token
        try:
            two_factor.reset_by_administrator(db.session, current_user, account)
        except ValidationError as error:
            flash(str(error), "warning")
        else:
            flash(
                _("Two-step verification of %(name)s has been removed.", name=account.name),
                "success",
            )
        return redirect(url_for("accounts.edit_account", user_id=account.id))
    return render_template("accounts/reset_two_factor.html", account=account)

"""Login, logout, invitations, password reset and the person's own account."""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from portal.accounts import access, bp, pending_login
from portal.accounts import invitations as invitation_services
from portal.accounts import services as accounts
from portal.accounts.forms import (
    ROLE_LABELS,
    AcceptInvitationForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    InvitationForm,
    LoginForm,
    ProfileForm,
    ResetPasswordForm,
)
from portal.accounts.login_checks import check_password_login
from portal.accounts.models import Role, User
from portal.accounts.sessions import end_session, start_session
from portal.accounts.throttle import forget_account_failures
from portal.core.errors import Forbidden, ValidationError
from portal.core.extensions import db, limiter
from portal.web.after_response import after_response
from portal.web.forms import form_page, options, page_number, party_options, show_service_error
from portal.web.public import public
from portal.web.safe_redirect import safe_local_path


def begin_session(user: User) -> None:
    """Log the user in on a brand-new session: nothing of the old cookie survives."""
    session.clear()
    session["sid"] = start_session(
        db.session, user, user_agent=request.user_agent.string, ip_address=request.remote_addr
    )
    login_user(user)


@bp.route("/auth/login", methods=["GET", "POST"])
@public
def login():
    next_path = safe_local_path(request.args.get("next"), url_for("main.index"))
    if current_user.is_authenticated:
        return redirect(next_path)
    form = LoginForm()
    if not form.validate_on_submit():
        return form_page("accounts/login.html", form)
    user = check_password_login(
        db.session, form.email.data, form.password.data, request.remote_addr
    )
    if user is None:
        db.session.commit()  # the failure is audited although the answer is an error
        form.form_errors.append(
            _(
                "The email or password is not correct, or the account is locked for "
                "15 minutes after too many attempts."
            )
        )
        return form_page("accounts/login.html", form)
    if user.has_second_factor:
        return redirect(pending_login.start(user, next_path))
    begin_session(user)
    return redirect(next_path)


@bp.route("/auth/logout", methods=["POST"])
def logout():
    language = current_user.language
    end_session(db.session, session.get("sid"))
    accounts.record_logout(db.session, current_user)
    logout_user()
    session.clear()
    session["language"] = language  # the login page stays in the language the person reads
    flash(_("You have logged out."), "success")
    return redirect(url_for("accounts.login"))


@bp.route("/auth/forgot", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return form_page("accounts/forgot.html", form)
    # Known or unknown, the same work before answering: the lookup, the token and its mail
    # are made once the answer has gone (SECURITY 4 and 14).
    email = form.email.data
    after_response(lambda session: accounts.request_password_reset(session, email))
    flash(
        _(
            "If an account uses this address, a link to reset the password is on its way. "
            "It works once, for one hour."
        ),
        "info",
    )
    return redirect(url_for("accounts.login"))


@bp.route("/auth/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    reset = accounts.find_open_reset(db.session, token)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = accounts.reset_password(db.session, token, form.password.data)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            forget_account_failures(user.email, unlock=True)
            session.clear()
            flash(_("Your password has been changed. Log in with the new one."), "success")
            return redirect(url_for("accounts.login"))
    return form_page("accounts/reset.html", form, email=reset.user.email)


@bp.route("/auth/invitation/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str):
    invitation = invitation_services.find_open_invitation(db.session, token)
    form = AcceptInvitationForm()
    if request.method == "GET":
        form.language.data = invitation.language
        form.timezone.data = invitation_services.invitation_timezone(invitation)
    if form.validate_on_submit():
        details = invitation_services.NewAccount(
            name=form.name.data,
            password=form.password.data,
            language=form.language.data,
            timezone=form.timezone.data,
        )
        try:
            user = invitation_services.accept_invitation(db.session, token, details)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            begin_session(user)
            flash(_("Welcome! Your account is ready."), "success")
            return redirect(url_for("main.index"))
    return form_page(
        "accounts/accept_invitation.html", form, invitation=invitation, roles=ROLE_LABELS
    )


@bp.route("/account/", methods=["GET", "POST"])
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        profile = accounts.Profile(
            name=form.name.data, language=form.language.data, timezone=form.timezone.data
        )
        try:
            accounts.update_profile(db.session, current_user, profile)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            flash(_("Your profile has been saved."), "success")
            return redirect(url_for("accounts.profile"))
    return form_page("accounts/profile.html", form, roles=ROLE_LABELS)


@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(db.session, current_user, form.password.data)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            begin_session(current_user._get_current_object())
            flash(
                _("Your password has been changed. Other sessions have been logged out."), "success"
            )
            return redirect(url_for("accounts.profile"))
    return form_page("accounts/change_password.html", form)


# Invitations -----------------------------------------------------------------------


@bp.route("/invitations/")
def invitations():
    page = invitation_services.list_invitations(
        db.session, current_user, page=page_number(request.args)
    )
    return render_template("accounts/invitations.html", page=page, roles=ROLE_LABELS)


@bp.route("/invitations/new", methods=["GET", "POST"])
def invite():
    form = InvitationForm()
    parties = invitation_services.invitation_parties(db.session, current_user)
    roles = [r for r in Role if r in access.invitable_roles(current_user)]
    if not parties or not roles:
        raise Forbidden()
    form.party_id.choices = party_options(parties)
    form.role.choices = options((r.value, ROLE_LABELS[r]) for r in roles)
    if request.method == "GET":
        form.party_id.data = current_user.party_id
        form.role.data = Role.MEMBER.value
        form.language.data = current_user.party.language
    if form.validate_on_submit():
        invitation_request = invitation_services.InvitationRequest(
            email=form.email.data,
            party_id=form.party_id.data,
            role=Role(form.role.data),
            language=form.language.data,
        )
        try:
            invitation = invitation_services.invite(db.session, current_user, invitation_request)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            page = url_for("accounts.invitations")
            form.claim("invitation", invitation, page)
            flash(_("An invitation has been sent to %(email)s.", email=invitation.email), "success")
            return redirect(page)
    return form_page("accounts/invite.html", form)

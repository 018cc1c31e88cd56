"""Administration of parties and accounts."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.accounts import access, bp
from portal.accounts import parties as party_services
from portal.accounts import services as accounts
from portal.accounts.forms import ROLE_LABELS, AccountForm, NewPartyForm, PartyForm
from portal.accounts.models import PartyKind, Role
from portal.core.errors import ValidationError
from portal.core.extensions import db
from portal.web.forms import form_page, page_number, show_service_error


@bp.route("/admin/parties/")
def parties():
    page = party_services.list_parties(db.session, current_user, page=page_number(request.args))
    return render_template("accounts/parties.html", page=page)


@bp.route("/admin/parties/new", methods=["GET", "POST"])
@bp.route("/admin/parties/<int:party_id>", methods=["GET", "POST"])
def edit_party(party_id: int | None = None):
    party = party_services.get_party(db.session, current_user, party_id) if party_id else None
    party_services.require_party_admin(current_user)
    form = PartyForm(obj=party) if party is not None else NewPartyForm()
    if request.method == "GET" and party is not None:
        form.kind.data = party.kind.value
    if form.validate_on_submit():
        data = party_services.PartyData(
            code=form.code.data,
            kind=PartyKind(form.kind.data),
            name_en=form.name_en.data,
            name_es=form.name_es.data,
            timezone=form.timezone.data,
            language=form.language.data,
        )
        try:
            if party is None:
                party = party_services.create_party(db.session, current_user, data)
                form.claim("party", party, url_for("accounts.parties"))
            else:
                party_services.update_party(db.session, current_user, party, data)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            flash(_("The delegation has been saved."), "success")
            return redirect(url_for("accounts.parties"))
    return form_page("accounts/party_form.html", form, party=party)


@bp.route("/admin/accounts/")
def accounts_list():
    page = accounts.list_accounts(db.session, current_user, page=page_number(request.args))
    return render_template("accounts/accounts.html", page=page, roles=ROLE_LABELS)


@bp.route("/admin/accounts/<int:user_id>", methods=["GET", "POST"])
def edit_account(user_id: int):
    account = accounts.get_account(db.session, current_user, user_id)
    form = AccountForm(obj=account)
    if request.method == "GET":
        form.role.data = account.role.value
    if form.validate_on_submit():
        try:
            accounts.update_account(
                db.session,
                current_user,
                account,
                role=Role(form.role.data),
                is_active=form.is_active.data,
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            flash(_("The account has been saved."), "success")
            return redirect(url_for("accounts.accounts_list"))
    return form_page(
        "accounts/account_form.html",
        form,
        account=account,
        roles=ROLE_LABELS,
        can_reset_second_factor=account.has_second_factor
        and access.can_reset_second_factor(current_user, account),
    )

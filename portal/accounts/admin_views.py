"""Administration of parties and accounts."""

from datetime import time

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
    return render_template(
        "accounts/parties.html", page=page, working_time=party_services.describe_working_time
    )


@bp.route("/admin/parties/new", methods=["GET", "POST"])
@bp.route("/admin/parties/<int:party_id>", methods=["GET", "POST"])
def edit_party(party_id: int | None = None):
    party = party_services.get_party(db.session, current_user, party_id) if party_id else None
    party_services.require_party_admin(current_user)
    form = PartyForm(obj=party) if party is not None else NewPartyForm()
    if request.method == "GET" and party is not None:
        form.kind.data = party.kind.value
        _show_working_time(form, party)
    elif request.method == "GET":
        form.work_days.data = ["1", "2", "3", "4", "5"]
        form.work_start.data, form.work_end.data = time(9), time(18)
    if form.validate_on_submit():
        data = party_services.PartyData(
            code=form.code.data,
            kind=PartyKind(form.kind.data),
            name_en=form.name_en.data,
            name_es=form.name_es.data,
            timezone=form.timezone.data,
            language=form.language.data,
            work_days=frozenset(int(day) for day in form.work_days.data or ()),
            work_start_minute=_minute(form.work_start.data),
            work_end_minute=_minute(form.work_end.data),
            holiday_country=form.holiday_country.data or None,
            holiday_subdivision=form.holiday_subdivision.data or None,
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


def _show_working_time(form, party) -> None:
    form.work_days.data = list(party.work_days or "")
    if party.has_working_hours:
        form.work_start.data = _time(party.work_start_minute)
        form.work_end.data = _time(party.work_end_minute)
    form.holiday_country.data = party.holiday_country or ""
    form.holiday_subdivision.data = party.holiday_subdivision or ""


def _minute(moment: time | None) -> int | None:
    return None if moment is None else moment.hour * 60 + moment.minute


def _time(minute: int) -> time:
    return time(23, 59) if minute >= 24 * 60 else time(minute // 60, minute % 60)


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

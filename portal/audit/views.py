"""The audit log: filtered pages of events and their CSV."""

from flask import Response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.audit import access, bp
from portal.audit.csv_export import events_csv
from portal.audit.forms import (
    AuditFilterForm,
    kind_label,
    kind_prefixes,
    object_label,
    object_labels,
    object_link,
    person_link,
)
from portal.audit.services import AuditFilters, export_events, list_events, readable_parties
from portal.core.errors import Forbidden, ValidationError
from portal.core.extensions import db
from portal.web.forms import options, page_number, party_options
from portal.web.pagination import Page


def _filter_form() -> AuditFilterForm:
    form = AuditFilterForm(formdata=request.args)
    any_party = options([(0, _l("Any"))]) if access.audit_log_party_id(current_user) is None else []
    form.party.choices = [*any_party, *party_options(readable_parties(db.session, current_user))]
    form.object_type.choices = options([("", _l("Any")), *object_labels().items()])
    return form


def _filters(form: AuditFilterForm) -> AuditFilters:
    return AuditFilters(
        zone=current_user.timezone,
        person=form.person.data or None,
        party_id=form.party.data or None,
        kind=form.kind.data or None,
        object_type=form.object_type.data or None,
        object_id=form.object_id.data or None,
        since=form.since.data,
        until=form.until.data,
    )


def _arguments() -> dict:
    """The query string without the page, for the pager's and the CSV's links."""
    return {key: value for key, value in request.args.items() if key != "page"}


def _page(form: AuditFilterForm, page: Page | None, status: int = 200):
    return render_template(
        "audit/events.html",
        form=form,
        page=page,
        arguments=_arguments(),
        kind_prefixes=kind_prefixes(),
        kind_label=kind_label,
        object_label=object_label,
        object_link=lambda event: object_link(event, current_user),
        person_link=lambda person: person_link(person, current_user),
    ), status


def _checked_form() -> AuditFilterForm:
    """The filter form, for the readers of the audit log only (a 403 before any 422)."""
    if not access.can_read_audit_log(current_user):
        raise Forbidden()
    return _filter_form()


@bp.route("/")
def events():
    form = _checked_form()
    if not form.validate():
        return _page(form, None, 422)
    page = list_events(db.session, current_user, _filters(form), page=page_number(request.args))
    return _page(form, page)


@bp.route("/export.csv")
def export_csv():
    form = _checked_form()
    if not form.validate():
        return _page(form, None, 422)
    try:
        events = export_events(db.session, current_user, _filters(form))
    except ValidationError as error:
        form.form_errors.append(error.message)
        return _page(form, None, 422)
    return Response(
        events_csv(events, current_user.timezone),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{_("audit-log")}.csv"'},
    )

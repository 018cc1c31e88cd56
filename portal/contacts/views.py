"""Points of contact pages: an MoU's list, a contact's page, its forms, its vCards."""

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from portal.contacts import access, bp, kept, queries
from portal.contacts import services as contacts
from portal.contacts.forms import FIELD_LABELS, ContactForm, NewContactForm
from portal.contacts.models import Availability, ContactKind, PointOfContact
from portal.contacts.vcard import CONTENT_TYPE, cards, contact_card
from portal.core.errors import Denied, NotFound, ValidationError
from portal.core.extensions import db
from portal.core.i18n import current_language, localized, reader_today
from portal.mous import services as mous
from portal.web.confirm import Confirmation, confirmation_page, is_confirmed
from portal.web.forms import form_page, page_number, show_service_error


def _describe(contact: PointOfContact, now=None) -> queries.ContactView:
    return queries.describe(contact, current_user.timezone, current_language(), now)


@bp.route("/mous/<int:mou_id>/contacts")
def contact_list(mou_id: int):
    """The list, kept whole for the reader's role and party (kept.py), refused as get_mou
    refuses."""
    facts = kept.list_facts(db.session, current_user, mou_id)
    if facts is None:
        raise NotFound()
    if not facts.reads:
        raise Denied("mou", mou_id)
    party_id = request.args.get("party", type=int)
    number, now = page_number(request.args), kept.drawn_at()
    reader = current_user
    language, zone = current_language(), reader.timezone
    key = (mou_id, party_id, number, language, zone, now, reader.role, reader.party_id)
    content = kept.PAGES.get_counted(
        db.session, facts.generation, key, lambda: _list_content(mou_id, party_id, number, now)
    )
    return render_template("contacts/list.html", content=content)


def _list_content(mou_id: int, party_id: int | None, number: int, now) -> Markup:
    mou = mous.get_mou(db.session, current_user, mou_id)
    party = contacts.mou_party(mou, party_id)
    page = contacts.list_contacts(
        db.session, current_user, mou, party_id=party.id if party else None, page=number
    )
    rows = render_template(
        "contacts/_rows.html",
        page=page,
        views=[_describe(contact, now) for contact in page.items],
        pager_arguments={"mou_id": mou.id, **({"party": party.id} if party else {})},
    )
    html = render_template(
        "contacts/_list_content.html",
        mou=mou,
        party=party,
        rows=Markup(rows),  # noqa: S704 - rendered by the template, escaped  # nosec B704
        editable=access.editable_parties(current_user, mou),
    )
    return Markup(html)  # noqa: S704 - rendered by the template, escaped  # nosec B704


@bp.route("/contacts/<int:contact_id>")
def contact_detail(contact_id: int):
    contact = contacts.get_contact(db.session, current_user, contact_id)
    return render_template(
        "contacts/detail.html",
        view=_describe(contact),
        contact=contact,
        can_edit=access.can_edit_contact(current_user, contact),
        field_labels=FIELD_LABELS,
        readable_change=queries.readable_change,
    )


def _details(form: ContactForm) -> contacts.ContactDetails:
    return contacts.ContactDetails(
        kind=ContactKind(form.kind.data),
        given_name=form.given_name.data,
        family_name=form.family_name.data,
        role=form.role.data,
        organisation=form.organisation.data or "",
        email=form.email.data,
        phone=form.phone.data,
        availability=Availability(form.availability.data),
        office_days=list(form.office_days.data or []),
        office_start=form.office_start.data,
        office_end=form.office_end.data,
        timezone=form.timezone.data,
        pgp_fingerprint=form.pgp_fingerprint.data or "",
        last_verified_on=form.last_verified_on.data,
    )


@bp.route("/mous/<int:mou_id>/parties/<int:party_id>/contacts/new", methods=["GET", "POST"])
def new_contact(mou_id: int, party_id: int):
    mou = mous.get_mou(db.session, current_user, mou_id)
    party = contacts.mou_party(mou, party_id)
    if party is None:
        raise NotFound()
    contacts.require_editor(current_user, mou, party)
    form = NewContactForm()
    if request.method == "GET":
        form.timezone.data = party.timezone
        form.last_verified_on.data = reader_today()
    if form.validate_on_submit():
        try:
            contact = contacts.create_contact(db.session, current_user, mou, party, _details(form))
        except ValidationError as error:
            show_service_error(form, error)
        else:
            page = url_for("contacts.contact_detail", contact_id=contact.id)
            form.claim("point_of_contact", contact, page)
            flash(_("The point of contact has been added."), "success")
            return redirect(page)
    return form_page("contacts/form.html", form, mou=mou, party=party, contact=None)


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
def edit_contact(contact_id: int):
    contact = contacts.get_contact(db.session, current_user, contact_id)
    contacts.require_editor(current_user, contact.mou, contact.party)
    form = ContactForm(obj=contact)
    if request.method == "GET":
        form.kind.data = contact.kind.value
        form.availability.data = contact.availability.value
        form.office_days.data = contact.weekdays
    if form.validate_on_submit():
        try:
            contacts.update_contact(db.session, current_user, contact, _details(form))
        except ValidationError as error:
            show_service_error(form, error)
        else:
            flash(_("The point of contact has been saved."), "success")
            return redirect(url_for("contacts.contact_detail", contact_id=contact.id))
    return form_page(
        "contacts/form.html", form, mou=contact.mou, party=contact.party, contact=contact
    )


@bp.route("/contacts/<int:contact_id>/verified", methods=["POST"])
def confirm_verified(contact_id: int):
    contact = contacts.get_contact(db.session, current_user, contact_id)
    contacts.confirm_verified(db.session, current_user, contact, reader_today())
    flash(_("The details are marked as verified today."), "success")
    return redirect(url_for("contacts.contact_detail", contact_id=contact.id))


@bp.route("/contacts/<int:contact_id>/remove", methods=["GET", "POST"])
def remove_contact(contact_id: int):
    contact = contacts.get_contact(db.session, current_user, contact_id)
    contacts.require_editor(current_user, contact.mou, contact.party)
    if not is_confirmed():
        return confirmation_page(
            Confirmation(
                title=_("Remove the point of contact?"),
                consequences=[
                    _(
                        "%(name)s will no longer be listed as a point of contact of %(party)s.",
                        name=contact.name,
                        party=localized(contact.party, "name"),
                    ),
                    _("Their details and history are kept in the audit log."),
                ],
                mailed=None,
                button=_("Yes, remove the contact"),
                back_url=url_for("contacts.contact_detail", contact_id=contact.id),
            )
        )
    contacts.remove_contact(db.session, current_user, contact)
    flash(_("The point of contact has been removed."), "success")
    return redirect(url_for("contacts.contact_list", mou_id=contact.mou_id))


# vCards -----------------------------------------------------------------------------------


def _vcard_response(text: str, filename: str) -> Response:
    response = Response(text, content_type=CONTENT_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/contacts/<int:contact_id>/contact.vcf")
def contact_vcard(contact_id: int):
    contact = contacts.get_contact(db.session, current_user, contact_id)
    view = _describe(contact)
    text = contact_card(contact, localized(contact.party, "name"), queries.card_notes(view))
    return _vcard_response(text, f"contact-{contact.id}.vcf")


@bp.route("/mous/<int:mou_id>/parties/<int:party_id>/contacts.vcf")
def party_vcards(mou_id: int, party_id: int):
    mou = mous.get_mou(db.session, current_user, mou_id)
    party = contacts.mou_party(mou, party_id)
    if party is None:
        raise NotFound()
    people = contacts.party_contacts(db.session, current_user, mou, party)
    name = localized(party, "name")
    text = cards((contact, name, queries.card_notes(_describe(contact))) for contact in people)
    return _vcard_response(text, f"contacts-{party.code.lower()}-mou-{mou.id}.vcf")

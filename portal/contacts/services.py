"""Changing points of contact: add, edit, confirm as verified, remove.

Plain functions taking the session and the acting person; each checks the rule in
portal.contacts.access, writes the contact's history and the audit log. Removing keeps the
row and its history (removed_at): nothing anyone recorded is deleted.
"""

import uuid
from dataclasses import dataclass
from datetime import date, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.accounts.models import Party, User
from portal.audit.services import record
from portal.contacts import access
from portal.contacts.formats import clean_fingerprint, clean_phone
from portal.contacts.models import Availability, ContactChange, ContactKind, PointOfContact
from portal.core.db import utcnow
from portal.core.errors import Denied, Forbidden, NotFound, ValidationError
from portal.core.i18n import reader_today
from portal.core.timezones import is_valid_timezone
from portal.mous.models import Mou
from portal.web.pagination import Page, paginate

EARLIEST_VERIFIED = date(2000, 1, 1)


@dataclass(frozen=True)
class ContactDetails:
    kind: ContactKind
    given_name: str
    family_name: str
    role: str
    organisation: str
    email: str
    phone: str
    availability: Availability
    office_days: list[int]
    office_start: time | None
    office_end: time | None
    timezone: str
    pgp_fingerprint: str
    last_verified_on: date


# Reading ----------------------------------------------------------------------------------


def require_contacts_reader(actor: User, mou: Mou) -> None:
    if not access.can_view_contacts(actor, mou):
        raise Denied("mou", mou.id)


def list_contacts(
    session: Session, actor: User, mou: Mou, *, party_id: int | None, page: int
) -> Page:
    require_contacts_reader(actor, mou)
    query = (
        select(PointOfContact)
        .join(Party, Party.id == PointOfContact.party_id)
        .where(PointOfContact.mou_id == mou.id, access.visible_contacts_clause(actor))
        .options(joinedload(PointOfContact.party))
        .order_by(Party.code, PointOfContact.kind, PointOfContact.family_name, PointOfContact.id)
    )
    if party_id:
        query = query.where(PointOfContact.party_id == party_id)
    return paginate(session, query, page=page)


def party_contacts(session: Session, actor: User, mou: Mou, party: Party) -> list[PointOfContact]:
    """Every contact of one party under the MoU (its vCard file)."""
    if not access.can_view_contacts(actor, mou) or party not in mou.parties:
        raise Denied("mou", mou.id)
    return list(
        session.scalars(
            select(PointOfContact)
            .where(
                PointOfContact.mou_id == mou.id,
                PointOfContact.party_id == party.id,
                access.visible_contacts_clause(actor),
            )
            .order_by(PointOfContact.kind, PointOfContact.family_name, PointOfContact.id)
        )
    )


def get_contact(session: Session, actor: User, contact_id: int) -> PointOfContact:
    contact = session.scalar(
        select(PointOfContact)
        .where(PointOfContact.id == contact_id)
        .options(
            joinedload(PointOfContact.mou).selectinload(Mou.parties),
            selectinload(PointOfContact.changes).joinedload(ContactChange.actor),
        )
    )
    if contact is None or contact.removed_at is not None:
        raise NotFound()
    if not access.can_view_contact(actor, contact):
        raise Denied("point_of_contact", contact_id)
    return contact


def mou_party(mou: Mou, party_id: int | None) -> Party | None:
    return next((party for party in mou.parties if party.id == party_id), None)


# Changing ---------------------------------------------------------------------------------


def require_editor(actor: User, mou: Mou, party: Party) -> None:
    if not access.can_edit_contacts(actor, mou, party):
        raise Forbidden(
            str(_l("Only the party's coordinators and the administrators change its contacts."))
        )


def _checked(details: ContactDetails) -> ContactDetails:
    """Rules the form cannot be trusted with: each value in its stored form."""
    try:
        phone = clean_phone(details.phone)
    except ValueError as error:
        raise ValidationError(str(error.args[0]), field="phone") from error
    try:
        fingerprint = clean_fingerprint(details.pgp_fingerprint)
    except ValueError as error:
        raise ValidationError(str(error.args[0]), field="pgp_fingerprint") from error
    if not is_valid_timezone(details.timezone):
        raise ValidationError(str(_l("Choose a time zone from the list.")), field="timezone")
    if not EARLIEST_VERIFIED <= details.last_verified_on <= reader_today():
        raise ValidationError(
            str(_l("Choose a date between 2000 and today.")), field="last_verified_on"
        )
    days, start, end = details.office_days, details.office_start, details.office_end
    if details.availability == Availability.OFFICE_HOURS:
        if not days:
            raise ValidationError(str(_l("Choose the days of the office hours.")), "office_days")
        if start is None or end is None:
            raise ValidationError(
                str(_l("Give the times the office hours start and end.")), "office_start"
            )
        if end <= start:
            raise ValidationError(
                str(_l("The office hours must end after they start.")), "office_end"
            )
    else:
        days, start, end = [], None, None
    return ContactDetails(
        **{
            **details.__dict__,
            "phone": phone,
            "pgp_fingerprint": fingerprint,
            "email": details.email.strip().lower(),
            "office_days": sorted(set(days)),
            "office_start": start,
            "office_end": end,
        }
    )


def _values(details: ContactDetails) -> dict:
    return {
        "kind": details.kind,
        "given_name": details.given_name,
        "family_name": details.family_name,
        "role": details.role,
        "organisation": details.organisation,
        "email": details.email,
        "phone": details.phone,
        "availability": details.availability,
        "office_days": "".join(str(day) for day in details.office_days),
        "office_start": details.office_start,
        "office_end": details.office_end,
        "timezone": details.timezone,
        "pgp_fingerprint": details.pgp_fingerprint,
        "last_verified_on": details.last_verified_on,
    }


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return value.isoformat() if isinstance(value, date) else str(value)


def _history(contact: PointOfContact, actor: User, field: str, before: str, after: str) -> None:
    contact.changes.append(
        ContactChange(actor_id=actor.id, field=field, before=before, after=after)
    )


def create_contact(
    session: Session, actor: User, mou: Mou, party: Party, details: ContactDetails
) -> PointOfContact:
    require_editor(actor, mou, party)
    details = _checked(details)
    contact = PointOfContact(
        mou=mou, party=party, uid=str(uuid.uuid4()), created_by_id=actor.id, **_values(details)
    )
    session.add(contact)
    _history(contact, actor, "created", "", contact.name)
    session.flush()
    record(
        session,
        "contact.created",
        actor=actor,
        object_type="point_of_contact",
        object_id=contact.id,
        mou=mou.id,
        party=party.code,
    )
    return contact


def update_contact(
    session: Session, actor: User, contact: PointOfContact, details: ContactDetails
) -> list[str]:
    """Apply the new details; return the names of the fields that changed."""
    if not access.can_edit_contact(actor, contact):
        require_editor(actor, contact.mou, contact.party)
    details = _checked(details)
    changed = []
    for field, after in _values(details).items():
        before = getattr(contact, field)
        if before != after:
            _history(contact, actor, field, _shown(before), _shown(after))
            setattr(contact, field, after)
            changed.append(field)
    if changed:
        contact.updated_at = utcnow()
        record(
            session,
            "contact.updated",
            actor=actor,
            object_type="point_of_contact",
            object_id=contact.id,
            fields=changed,
        )
    return changed


def confirm_verified(session: Session, actor: User, contact: PointOfContact, today: date) -> None:
    """Someone checked the details with the contact today."""
    require_editor(actor, contact.mou, contact.party)
    if contact.last_verified_on != today:
        _history(
            contact, actor, "last_verified_on", _shown(contact.last_verified_on), _shown(today)
        )
        contact.last_verified_on = today
        contact.updated_at = utcnow()
    record(
        session,
        "contact.verified",
        actor=actor,
        object_type="point_of_contact",
        object_id=contact.id,
    )


def remove_contact(session: Session, actor: User, contact: PointOfContact) -> None:
    require_editor(actor, contact.mou, contact.party)
    contact.removed_at = utcnow()
    contact.removed_by_id = actor.id
    contact.updated_at = contact.removed_at
    _history(contact, actor, "removed", contact.name, "")
    record(
        session,
        "contact.removed",
        actor=actor,
        object_type="point_of_contact",
        object_id=contact.id,
        mou=contact.mou_id,
        party=contact.party.code,
    )

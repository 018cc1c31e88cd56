"""What the pages, the vCards and the reminder say of a point of contact."""

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from dateutil.relativedelta import relativedelta
from flask_babel import gettext as _
from sqlalchemy import Select, bindparam, func, select

from portal.accounts.models import Role
from portal.contacts import access
from portal.contacts.availability import OfficeHours, office_hours
from portal.contacts.formats import grouped_fingerprint, readable_phone
from portal.contacts.forms import AVAILABILITY_LABELS, DAY_LABELS, KIND_LABELS
from portal.contacts.models import Availability, ContactChange, PointOfContact
from portal.core.access import ParametricViewer, viewer_parameters
from portal.core.clock import day_in
from portal.core.db import utcnow
from portal.core.together import Read

VERIFY_EVERY = relativedelta(years=1)


def is_lapsed(last_verified_on: date, today: date) -> bool:
    """Not verified for more than a year."""
    return last_verified_on + VERIFY_EVERY < today


@dataclass(frozen=True)
class ContactView:
    contact: PointOfContact
    kind: str
    phone: str
    fingerprint: str
    always: bool
    hours: OfficeHours | None
    lapsed: bool


def describe(
    contact: PointOfContact, reader_zone: str, language: str, now: datetime | None = None
) -> ContactView:
    """The contact as the reader sees it: hours on both clocks for the current week."""
    now = now or utcnow()
    hours = None
    if contact.availability == Availability.OFFICE_HOURS and contact.office_start:
        today_there = day_in(contact.timezone, now)
        hours = office_hours(
            contact.weekdays,
            contact.office_start,
            contact.office_end,
            contact.timezone,
            reader_zone,
            today_there,
            language,
        )
    return ContactView(
        contact=contact,
        kind=str(KIND_LABELS[contact.kind]),
        phone=readable_phone(contact.phone),
        fingerprint=grouped_fingerprint(contact.pgp_fingerprint),
        always=contact.availability == Availability.ALWAYS,
        hours=hours,
        lapsed=is_lapsed(contact.last_verified_on, now.date()),
    )


def card_notes(view: ContactView) -> list[str]:
    """The lines of a vCard's NOTE, in the reader's language: the kind and the availability on
    the contact's clock (a vCard has no property for office hours)."""
    if view.always:
        availability = str(AVAILABILITY_LABELS[Availability.ALWAYS])
    elif view.hours:
        clock = view.hours.contact
        availability = f"{view.hours.contact.hours} ({clock.zone})"
    else:
        availability = ""
    lines = [view.kind]
    if availability:
        lines.append(_("Availability: %(hours)s", hours=availability))
    return lines


def contact_counts(reader, mou) -> Read:
    """How many contacts each party of the MoU has (the MoU page's panel): (party id, count)
    rows, read with the page's other panels."""
    return Read(_counts_query(reader.role), {"mou_id": mou.id, **viewer_parameters(reader)})


@cache
def _counts_query(role: Role) -> Select:
    """Built once per role: building the access rule costs more than running it."""
    return (
        select(PointOfContact.party_id, func.count())
        .where(
            PointOfContact.mou_id == bindparam("mou_id"),
            access.visible_contacts_clause(ParametricViewer(role)),
        )
        .group_by(PointOfContact.party_id)
    )


def _readable(field: str, value: str) -> str:
    """A stored value of the history as the pages show the field."""
    if not value:
        return ""
    labels = {"kind": KIND_LABELS, "availability": AVAILABILITY_LABELS}.get(field, {})
    if label := next((text for key, text in labels.items() if key.value == value), None):
        return str(label)
    if field == "office_days" and value.isdigit():
        return ", ".join(str(DAY_LABELS[int(day)]) for day in value if int(day) in DAY_LABELS)
    if field == "phone":
        return readable_phone(value)
    if field == "pgp_fingerprint":
        return grouped_fingerprint(value)
    return value


def readable_change(change: ContactChange) -> tuple[str, str]:
    """What a line of the history says was there before and after."""
    return _readable(change.field, change.before), _readable(change.field, change.after)

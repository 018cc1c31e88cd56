"""The point-of-contact form, and the labels of its kinds and availabilities."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField, TimeField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.validators import ValidationError as InvalidInput

from portal.accounts.forms import email_field
from portal.contacts.formats import clean_fingerprint, clean_phone
from portal.contacts.models import Availability, ContactKind
from portal.web.forms import (
    DATE_FORMAT_MESSAGE,
    BaseForm,
    CreateForm,
    MultiCheckboxField,
    choice_field,
    options,
    required_text,
    single_line,
    strip,
    timezone_field,
)

KIND_LABELS = {
    ContactKind.MOU: _l("MoU contact"),
    ContactKind.CSIRT: _l("CSIRT contact"),
}
AVAILABILITY_LABELS = {
    Availability.ALWAYS: _l("24/7"),
    Availability.OFFICE_HOURS: _l("Office hours"),
}
# Monday is 0, as datetime.weekday() counts.
DAY_LABELS = {
    0: _l("Monday"),
    1: _l("Tuesday"),
    2: _l("Wednesday"),
    3: _l("Thursday"),
    4: _l("Friday"),
    5: _l("Saturday"),
    6: _l("Sunday"),
}
# What the history calls each field.
FIELD_LABELS = {
    "created": _l("Added"),
    "removed": _l("Removed"),
    "kind": _l("Kind"),
    "given_name": _l("Given names"),
    "family_name": _l("Family names"),
    "role": _l("Role"),
    "organisation": _l("Organisation"),
    "email": _l("Email"),
    "phone": _l("Phone"),
    "availability": _l("Availability"),
    "office_days": _l("Office days"),
    "office_start": _l("Office hours start"),
    "office_end": _l("Office hours end"),
    "timezone": _l("Time zone"),
    "pgp_fingerprint": _l("PGP key fingerprint"),
    "last_verified_on": _l("Last verified"),
}
TIME_FORMAT_MESSAGE = _l("Enter the time as HH:MM, e.g. 09:00.")


def _phone(form, field) -> None:
    try:
        clean_phone(field.data)
    except ValueError as error:
        raise InvalidInput(error.args[0]) from error


def _fingerprint(form, field) -> None:
    try:
        clean_fingerprint(field.data)
    except ValueError as error:
        raise InvalidInput(error.args[0]) from error


class ContactForm(BaseForm):
    kind = choice_field(
        _l("Kind"),
        choices=options(KIND_LABELS.items()),
        validators=[InputRequired(message=_l("Choose the kind of contact."))],
    )
    given_name = required_text(_l("Given names"), max_length=100)
    family_name = required_text(_l("Family names"), max_length=100)
    role = required_text(_l("Role"), description=_l("E.g. Head of CSIRT, MoU focal point."))
    organisation = StringField(
        _l("Organisation"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=200, message=_l("Use at most %(max)d characters.")),
            single_line,
        ],
        description=_l("E.g. CSIRT de Gobierno, NCSC. The party is added by the portal."),
    )
    email = email_field(_l("Email"))
    phone = StringField(
        _l("Phone"),
        filters=[strip],
        validators=[InputRequired(message=_l("This field is required.")), _phone],
        description=_l("In international format, e.g. +56 2 2345 6789."),
    )
    availability = choice_field(
        _l("Availability"),
        choices=options(AVAILABILITY_LABELS.items()),
        validators=[InputRequired(message=_l("Choose the availability."))],
    )
    office_days = MultiCheckboxField(
        _l("Office days"), coerce=int, choices=options(DAY_LABELS.items())
    )
    office_start = TimeField(
        _l("Office hours start"),
        validators=[Optional()],
        invalid_value_message=TIME_FORMAT_MESSAGE,
    )
    office_end = TimeField(
        _l("Office hours end"),
        validators=[Optional()],
        invalid_value_message=TIME_FORMAT_MESSAGE,
    )
    timezone = timezone_field(_l("The contact's time zone"))
    pgp_fingerprint = StringField(
        _l("PGP key fingerprint"),
        filters=[strip],
        validators=[Length(max=200, message=_l("Use at most %(max)d characters.")), _fingerprint],
        description=_l("40 hexadecimal digits (version 4 keys) or 64 (version 5 and 6 keys)."),
    )
    last_verified_on = DateField(
        _l("Last verified"),
        validators=[InputRequired(message=_l("Enter the date the details were last verified."))],
        invalid_value_message=DATE_FORMAT_MESSAGE,
    )


class NewContactForm(ContactForm, CreateForm):
    """Adding a contact: a second submission of the same form shows the first one's contact."""


# The audit log's words for what this feature records (declared in __init__.py).
AUDIT_KINDS = {
    "contact.created": _l("Point of contact added"),
    "contact.updated": _l("Point of contact changed"),
    "contact.verified": _l("Point of contact verified"),
    "contact.removed": _l("Point of contact removed"),
}
AUDIT_OBJECTS = {
    "point_of_contact": (_l("Point of contact"), ("contacts.contact_detail", "contact_id"))
}

"""The audit log's filters, read from the query string (a GET form changes nothing: no CSRF)."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.validators import Length, Optional, ValidationError

from portal.audit.labels import OBJECT_LABELS
from portal.web.forms import choice_field, options, single_line, strip

KIND = re.compile(r"[a-z_]+(\.[a-z_]+)*\.?")
DATE_MESSAGE = _l("Enter the date as YYYY-MM-DD.")
FIRST_YEAR, LAST_YEAR = 1970, 2999


def lower(value):
    return value.lower() if isinstance(value, str) else value


def kind_code(form, field) -> None:
    if field.data and not KIND.fullmatch(field.data):
        raise ValidationError(
            _l("Write a kind as its code, such as minutes or login.failed (letters, _ and dots).")
        )


def object_number(form, field) -> None:
    if field.data and not (field.data.isascii() and field.data.isdigit()):
        raise ValidationError(_l("An object is named by its number, such as 42."))


def plausible_year(form, field) -> None:
    if field.data and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(
            _l("Choose a date between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR)
        )


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    person = StringField(
        _l("Person"),
        filters=[strip],
        validators=[Length(max=254, message=_l("Use at most %(max)d characters.")), single_line],
        description=_l("Part of an email address or a name."),
    )
    party = choice_field(_l("Delegation"), coerce=int, default=0, validators=[Optional()])
    kind = StringField(
        _l("Kind"),
        filters=[strip, lower],
        validators=[Length(max=64, message=_l("Use at most %(max)d characters.")), kind_code],
        description=_l("A kind, or the start of one: minutes finds every minutes event."),
        render_kw={"list": "audit-kinds"},
    )
    object_type = choice_field(
        _l("Object"),
        choices=options([("", _l("Any")), *OBJECT_LABELS.items()]),
        default="",
        validators=[Optional()],
    )
    object_id = StringField(
        _l("Object number"),
        filters=[strip],
        validators=[Length(max=64, message=_l("Use at most %(max)d characters.")), object_number],
    )
    since = DateField(
        _l("Since"), validators=[Optional(), plausible_year], invalid_value_message=DATE_MESSAGE
    )
    until = DateField(
        _l("Until"), validators=[Optional(), plausible_year], invalid_value_message=DATE_MESSAGE
    )

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date comes before the start date."))

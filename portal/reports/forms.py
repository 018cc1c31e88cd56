"""The report's period (from the query string: a GET, no CSRF) and the PDF's language."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField
from wtforms.validators import Optional, ValidationError

from portal.core.i18n import LANGUAGE_NAMES
from portal.web.forms import choice_field, options

DATE_FORMAT_MESSAGE = _l("Enter the date as YYYY-MM-DD.")
# Reports cover the portal's life, not typing slips such as 1900 or 20266.
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


def _in_range(form, field) -> None:
    if field.data and not EARLIEST <= field.data <= LATEST:
        raise ValidationError(_l("Choose a date between 2000 and 2100."))


class ReportPeriodForm(FlaskForm):
    class Meta:
        csrf = False

    first = DateField(
        _l("First day"),
        validators=[Optional(), _in_range],
        invalid_value_message=DATE_FORMAT_MESSAGE,
    )
    last = DateField(
        _l("Last day"),
        validators=[Optional(), _in_range],
        invalid_value_message=DATE_FORMAT_MESSAGE,
    )
    language = choice_field(
        _l("Language of the PDF"),
        default="",
        choices=options([("", _l("Mine")), *LANGUAGE_NAMES.items()]),
        validators=[Optional()],
    )

    def validate_last(self, field) -> None:
        first = self.first.data or getattr(self, "default_first", None)
        if first and field.data and field.data < first:
            raise ValidationError(_l("The end of the period cannot be before its start."))

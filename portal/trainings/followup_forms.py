"""Forms of certificates, feedback and reports."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from portal.trainings.feedback import COMMENTS_MAX_LENGTH, RATINGS
from portal.web.forms import BaseForm, CreateForm, choice_field, options, strip

DATE_FORMAT_MESSAGE = _l("Enter the date as YYYY-MM-DD.")
# Reports cover the portal's life, not typing slips such as 1900 or 20266.
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


class FeedbackForm(CreateForm):
    rating = RadioField(
        _l("Your rating (1 = poor, 5 = excellent)"),
        coerce=int,
        choices=options((n, str(n)) for n in RATINGS),
        validators=[InputRequired(message=_l("Choose a rating from 1 to 5."))],
        invalid_choice_message=_l("Choose a rating from 1 to 5."),
        invalid_value_message=_l("Choose a rating from 1 to 5."),
    )
    comments = TextAreaField(
        _l("Comments (optional)"),
        filters=[strip],
        validators=[Length(max=COMMENTS_MAX_LENGTH, message=_l("Use at most %(max)d characters."))],
        render_kw={"rows": 5},
    )


class VerifyCertificateForm(BaseForm):
    code = StringField(
        _l("Verification code"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter the code printed on the certificate.")),
        ],
    )


def _in_range(form, field) -> None:
    if field.data and not EARLIEST <= field.data <= LATEST:
        raise ValidationError(_l("Choose a date between 2000 and 2100."))


class ReportPeriodForm(FlaskForm):
    """The period and party of an MoU's report, from the query string (a GET: no CSRF)."""

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
    party = choice_field(_l("Party"), coerce=int, default=0, validators=[Optional()])

    def validate_last(self, field) -> None:
        if self.first.data and field.data and field.data < self.first.data:
            raise ValidationError(_l("The end of the period cannot be before its start."))

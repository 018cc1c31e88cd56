"""Forms of certificates, feedback and reports."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.trainings.feedback import COMMENTS_MAX_LENGTH, RATINGS
from portal.web.forms import BaseForm, CreateForm, PeriodForm, choice_field, options, strip


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


class ReportPeriodForm(PeriodForm):
    """The period and party of an MoU's report, from the query string (a GET: no CSRF)."""

    party = choice_field(_l("Party"), coerce=int, default=0, validators=[Optional()])

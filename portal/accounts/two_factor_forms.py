"""Forms of the second factor: the code at login, enrolment, and the password asked again."""

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from portal.web.forms import BaseForm, strip


def code_field(label) -> StringField:
    return StringField(
        label,
        filters=[strip],
        validators=[DataRequired(message=_l("This field is required.")), Length(max=64)],
    )


def password_again_field() -> PasswordField:
    return PasswordField(
        _l("Your password"),
        validators=[DataRequired(message=_l("This field is required.")), Length(max=1024)],
        description=_l("Asked again because this changes how you log in."),
    )


class SecondFactorForm(BaseForm):
    code = code_field(_l("Code from your authenticator app, or a recovery code"))


class EnrolmentForm(BaseForm):
    password = password_again_field()
    code = code_field(_l("The 6-digit code your app shows now"))


class PasswordAgainForm(BaseForm):
    password = password_again_field()

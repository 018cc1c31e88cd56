from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Regexp

from portal.accounts.models import PartyKind, Role
from portal.accounts.passwords import MAX_LENGTH
from portal.accounts.reauth import current_password_field
from portal.web.forms import (
    BaseForm,
    CreateForm,
    choice_field,
    language_field,
    options,
    required_text,
    single_line,
    strip,
    timezone_field,
)

ROLE_LABELS = {
    Role.ADMINISTRATOR: _l("Administrator"),
    Role.COORDINATOR: _l("Coordinator"),
    Role.MEMBER: _l("Member"),
    Role.OBSERVER: _l("Observer"),
    Role.EXTERNAL: _l("External participant"),
}


def email_field(label=None) -> EmailField:
    return EmailField(
        label or _l("Email"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("This field is required.")),
            Length(max=254, message=_l("Use at most %(max)d characters.")),
            Email(message=_l("Enter a valid email address."), check_deliverability=False),
        ],
    )


def new_password_fields():
    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(message=_l("This field is required.")),
            Length(max=MAX_LENGTH, message=_l("Use at most %(max)d characters.")),
        ],
        description=_l(
            "At least 12 characters. A passphrase of several words is easy to remember."
        ),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(message=_l("This field is required.")),
            EqualTo("password", message=_l("The two passwords do not match.")),
        ],
    )
    return password, confirm


class LoginForm(BaseForm):
    email = StringField(
        _l("Email"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("This field is required.")),
            Length(max=254, message=_l("Use at most %(max)d characters.")),
            single_line,
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("This field is required.")), Length(max=1024)],
    )


class ForgotPasswordForm(BaseForm):
    email = email_field()


class ResetPasswordForm(BaseForm):
    password, confirm = new_password_fields()


class AcceptInvitationForm(BaseForm):
    name = required_text(_l("Your full name"))
    password, confirm = new_password_fields()
    language = language_field()
    timezone = timezone_field()


class ChangePasswordForm(BaseForm):
    current_password = current_password_field()
    password, confirm = new_password_fields()


class ChangeEmailForm(BaseForm):
    email = email_field(_l("New email address"))
    current_password = current_password_field()


class ProfileForm(BaseForm):
    name = required_text(_l("Full name"))
    language = language_field()
    timezone = timezone_field()


class InvitationForm(CreateForm):
    email = email_field()
    party_id = choice_field(_l("Delegation"), coerce=int)
    role = choice_field(_l("Role"))
    language = language_field(_l("Language of the invitation"))


class AccountForm(BaseForm):
    role = choice_field(
        _l("Role"), choices=options((r.value, label) for r, label in ROLE_LABELS.items())
    )
    is_active = BooleanField(_l("Account active"))


class PartyForm(BaseForm):
    code = StringField(
        _l("Code"),
        filters=[lambda v: v.strip().upper() if isinstance(v, str) else v],
        validators=[
            DataRequired(message=_l("This field is required.")),
            Regexp(
                r"^[A-Z]{2,8}$",
                message=_l("Use 2 to 8 letters: the ISO 3166 code of a country, or an acronym."),
            ),
        ],
    )
    kind = choice_field(
        _l("Kind"),
        choices=options(
            [
                (PartyKind.COUNTRY.value, _l("Country")),
                (PartyKind.ORGANISATION.value, _l("International organisation")),
            ]
        ),
    )
    name_en = required_text(_l("Name in English"))
    name_es = required_text(_l("Name in Spanish"))
    timezone = timezone_field(_l("Default time zone"))
    language = language_field(_l("Default language"))


class ConfirmForm(BaseForm):
    """A button that changes something: only its CSRF token."""


class NewPartyForm(PartyForm, CreateForm):
    pass

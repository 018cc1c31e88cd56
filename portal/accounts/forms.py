from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField, TimeField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp
from wtforms.validators import ValidationError as InvalidInput

from portal.accounts.models import PartyKind, Role
from portal.accounts.passwords import MAX_LENGTH
from portal.accounts.reauth import current_password_field
from portal.calendar.public_holidays import supported_countries
from portal.web.forms import (
    BaseForm,
    CreateForm,
    MultiCheckboxField,
    choice_field,
    language_field,
    options,
    required_text,
    single_line,
    strip,
    timezone_field,
)

# ISO weekday (1 = Monday) and its name, as the working days are stored.
WEEKDAY_LABELS = {
    "1": _l("Monday"),
    "2": _l("Tuesday"),
    "3": _l("Wednesday"),
    "4": _l("Thursday"),
    "5": _l("Friday"),
    "6": _l("Saturday"),
    "7": _l("Sunday"),
}


def holiday_country_options():
    """Every country the calendar of holidays knows, named in the reader's language."""
    names = get_locale().territories
    countries = sorted(supported_countries(), key=lambda code: names.get(code, code))
    return options(
        [("", _l("None (follows the meeting's host)"))]
        + [(code, f"{names.get(code, code)} ({code})") for code in countries]
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
    work_days = MultiCheckboxField(_l("Working days"), choices=options(WEEKDAY_LABELS.items()))
    work_start = TimeField(
        _l("Working hours start (local time)"),
        format="%H:%M",
        validators=[Optional()],
        invalid_value_message=_l("Enter the time as HH:MM."),
    )
    work_end = TimeField(
        _l("Working hours end (local time)"),
        format="%H:%M",
        validators=[Optional()],
        invalid_value_message=_l("Enter the time as HH:MM."),
    )
    holiday_country = choice_field(
        _l("Public holidays of"),
        choices=[],
        default="",
        validators=[Optional()],
        description=_l("None: an organisation follows the holidays of the meeting's host."),
    )
    holiday_subdivision = StringField(
        _l("Region (optional, for regional holidays)"),
        filters=[lambda v: v.strip().upper() if isinstance(v, str) else v],
        validators=[Optional(), Length(max=10, message=_l("Use at most %(max)d characters."))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.holiday_country.choices = holiday_country_options()

    def validate_work_days(self, field) -> None:
        """Working time is all given (days, start, end) or all left empty (not set)."""
        given = [
            bool(field.data),
            *(bool(f.raw_data and f.raw_data[0].strip()) for f in self._hours),
        ]
        if any(given) and not field.data:
            raise InvalidInput(_l("Choose at least one working day."))
        if any(given) and not all(given):
            raise InvalidInput(_l("Give both the start and the end of the working hours."))

    @property
    def _hours(self):
        return (self.work_start, self.work_end)

    def validate_work_end(self, field) -> None:
        start, end = self.work_start.data, field.data
        if start is not None and end is not None and end <= start:
            raise InvalidInput(_l("The working hours must end after they start."))

    def validate_holiday_subdivision(self, field) -> None:
        if field.data and not self.holiday_country.data:
            raise InvalidInput(_l("A region needs a country."))
        known = supported_countries().get(self.holiday_country.data or "", ())
        if field.data and self.holiday_country.data and field.data not in known:
            raise InvalidInput(
                _l(
                    "Not a region of that country in the calendar of holidays; "
                    "use one of: %(codes)s.",
                    codes=", ".join(known) or "—",
                )
            )


class ConfirmForm(BaseForm):
    """A button that changes something: only its CSRF token."""


class NewPartyForm(PartyForm, CreateForm):
    pass

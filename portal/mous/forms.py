from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.validators import ValidationError as InvalidInput

from portal.mous.models import Area, MouStatus
from portal.web.forms import (
    DATE_FORMAT_MESSAGE,
    BaseForm,
    CreateForm,
    MultiCheckboxField,
    choice_field,
    one_language_required,
    optional_text,
    options,
    required_text,
    single_line,
    strip,
)

AREA_LABELS = {
    Area.CYBERSECURITY: _l("Cybersecurity"),
    Area.CYBERCRIME: _l("Cybercrime"),
    Area.CYBER_DEFENCE: _l("Cyber defence"),
}

STATUS_LABELS = {
    MouStatus.IN_FORCE: _l("In force"),
    MouStatus.SUSPENDED: _l("Suspended"),
    MouStatus.EXPIRED: _l("Expired"),
    MouStatus.TERMINATED: _l("Terminated"),
}


def long_text(label, max_length: int = 5000) -> TextAreaField:
    return TextAreaField(
        label,
        filters=[strip],
        validators=[Length(max=max_length, message=_l("Use at most %(max)d characters."))],
    )


def plausible_date(form, field) -> None:
    if field.data and not 1945 <= field.data.year <= 2200:
        raise InvalidInput(_l("Enter a date between 1945 and 2200."))


def optional_date(label) -> DateField:
    return DateField(
        label,
        validators=[Optional(), plausible_date],
        format="%Y-%m-%d",
        invalid_value_message=DATE_FORMAT_MESSAGE,
        render_kw={"placeholder": "YYYY-MM-DD"},
    )


class MouForm(BaseForm):
    title_en = optional_text(_l("Title in English"), max_length=300)
    title_es = optional_text(_l("Title in Spanish"), max_length=300, render_kw={"lang": "es"})
    summary_en = long_text(_l("Summary in English"))
    summary_es = long_text(_l("Summary in Spanish"))
    party_ids = MultiCheckboxField(_l("Parties"), coerce=int)
    signed_on = optional_date(_l("Signed on"))
    signing_place = StringField(
        _l("Signed at (place)"),
        filters=[strip],
        validators=[Length(max=200, message=_l("Use at most %(max)d characters.")), single_line],
    )
    areas = MultiCheckboxField(
        _l("Areas"), choices=options((a.value, label) for a, label in AREA_LABELS.items())
    )
    status = choice_field(
        _l("Status"), choices=options((s.value, label) for s, label in STATUS_LABELS.items())
    )
    term_starts_on = optional_date(_l("Term starts on"))
    term_ends_on = optional_date(_l("Term ends on"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        message = _l("Write the title in English, in Spanish or in both.")
        return one_language_required(self, "title_en", "title_es", message) and valid


class NewMouForm(MouForm, CreateForm):
    pass


class SignatoryForm(CreateForm):
    party_id = choice_field(_l("Party"), coerce=int)
    name = required_text(_l("Name"))
    office_en = required_text(_l("Office in English"), max_length=300)
    office_es = required_text(_l("Office in Spanish"), max_length=300)


class LineForm(CreateForm):
    title_en = required_text(_l("Line of cooperation in English"), max_length=300)
    title_es = required_text(_l("Line of cooperation in Spanish"), max_length=300)


class WorkingGroupForm(BaseForm):
    name_en = optional_text(_l("Name in English"), max_length=300)
    name_es = optional_text(_l("Name in Spanish"), max_length=300, render_kw={"lang": "es"})
    mandate_en = long_text(_l("Mandate in English"))
    mandate_es = long_text(_l("Mandate in Spanish"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        message = _l("Write the name in English, in Spanish or in both.")
        return one_language_required(self, "name_en", "name_es", message) and valid


class NewWorkingGroupForm(WorkingGroupForm, CreateForm):
    pass


class MemberForm(CreateForm):
    user_id = choice_field(
        _l("Person"), coerce=int, validators=[DataRequired(message=_l("Choose a person."))]
    )
    is_co_chair = BooleanField(_l("Co-chair for their delegation"))


class ConfirmForm(BaseForm):
    """A button that changes something: only the CSRF token is posted."""

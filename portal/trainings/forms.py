from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, InputRequired, Length, NumberRange, Optional
from wtforms.validators import ValidationError as InvalidInput

from portal.accounts.forms import email_field
from portal.calendar.forms import fold_field, local_time_field
from portal.trainings.models import (
    AttendanceMark,
    Audience,
    RegistrationStatus,
    Sector,
    TrainingFormat,
    TrainingLanguage,
)
from portal.trainings.services import MAX_CAPACITY
from portal.web.forms import (
    BaseForm,
    ChoiceField,
    CreateForm,
    choice_field,
    language_field,
    one_language_required,
    optional_text,
    options,
    required_text,
    single_line,
    strip,
    timezone_field,
)

AUDIENCE_LABELS = {
    Audience.PUBLIC: _l("Public sector"),
    Audience.PRIVATE: _l("Private sector"),
    Audience.BOTH: _l("Public and private sector"),
}
FORMAT_LABELS = {
    TrainingFormat.IN_PERSON: _l("In person"),
    TrainingFormat.ONLINE: _l("Online"),
    TrainingFormat.HYBRID: _l("Hybrid"),
}
LANGUAGE_LABELS = {
    TrainingLanguage.SPANISH: _l("Spanish"),
    TrainingLanguage.ENGLISH: _l("English"),
    TrainingLanguage.BOTH: _l("Spanish and English"),
}
SECTOR_LABELS = {
    Sector.PUBLIC: _l("Public sector"),
    Sector.PRIVATE: _l("Private sector"),
    Sector.ACADEMIA: _l("Academia"),
    Sector.OTHER: _l("Other"),
}
STATUS_LABELS = {
    RegistrationStatus.CONFIRMED: _l("Confirmed"),
    RegistrationStatus.WAITLISTED: _l("Waiting list"),
    RegistrationStatus.CANCELLED: _l("Cancelled"),
}
ATTENDANCE_LABELS = {
    AttendanceMark.PRESENT: _l("Present"),
    AttendanceMark.ABSENT: _l("Absent"),
    AttendanceMark.PARTIAL: _l("Partial"),
}
NOT_RECORDED = ""


def _enum_choice(label, labels: dict, message) -> SelectField:
    """A choice among an enum's values; a missing or unknown value gets `message`."""
    return ChoiceField(
        label,
        blank=True,
        choices=options((value.value, text) for value, text in labels.items()),
        validators=[InputRequired(message=message)],
        invalid_choice_message=message,
    )


class TrainingForm(BaseForm):
    title_en = optional_text(_l("Title in English"), max_length=300)
    title_es = optional_text(_l("Title in Spanish"), max_length=300, render_kw={"lang": "es"})
    description_md_en = TextAreaField(
        _l("Description in English (Markdown)"),
        filters=[strip],
        validators=[Length(max=20000, message=_l("Use at most %(max)d characters."))],
    )
    description_md_es = TextAreaField(
        _l("Description in Spanish (Markdown)"),
        filters=[strip],
        validators=[Length(max=20000, message=_l("Use at most %(max)d characters."))],
    )
    working_group_id = choice_field(_l("Working group (optional)"), coerce=int, default=0)
    audience = _enum_choice(
        _l("Audience"), AUDIENCE_LABELS, _l("Choose public, private or both as the audience.")
    )
    format = _enum_choice(_l("Format"), FORMAT_LABELS, _l("Choose in person, online or hybrid."))
    venue = StringField(
        _l("Venue"),
        filters=[strip],
        validators=[Length(max=300, message=_l("Use at most %(max)d characters.")), single_line],
    )
    link = URLField(
        _l("Online link"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=500, message=_l("Use at most %(max)d characters.")),
            URL(require_tld=False, message=_l("Enter a web address starting with https://.")),
        ],
    )
    start_local = local_time_field(_l("Starts (local time)"))
    end_local = local_time_field(_l("Ends (local time)"))
    registration_closes_local = local_time_field(_l("Registration closes (local time)"))
    timezone = timezone_field(_l("Time zone of these times"))
    start_fold = fold_field(_l("This start time happens twice that day. Which one?"))
    end_fold = fold_field(_l("This end time happens twice that day. Which one?"))
    language = _enum_choice(
        _l("Language of the training"), LANGUAGE_LABELS, _l("Choose a language.")
    )
    trainers = StringField(
        _l("Trainers"),
        filters=[strip],
        validators=[Length(max=500, message=_l("Use at most %(max)d characters.")), single_line],
    )
    capacity = IntegerField(
        _l("Capacity (seats)"),
        validators=[
            InputRequired(message=_l("Enter the number of seats.")),
            NumberRange(
                min=1,
                max=MAX_CAPACITY,
                message=_l("Enter a number of seats from %(min)s to %(max)s."),
            ),
        ],
    )
    allow_external = BooleanField(_l("External participants may be invited"))
    record_past = BooleanField(
        _l("Record a past training: it has already taken place; tell nobody.")
    )

    def validate_link(self, field) -> None:
        if field.data and not field.data.lower().startswith(("https://", "http://")):
            raise InvalidInput(_l("Enter a web address starting with https://."))

    def validate_end_local(self, field) -> None:
        if field.data and self.start_local.data and field.data <= self.start_local.data:
            raise InvalidInput(_l("The training must end after it starts."))

    def validate_registration_closes_local(self, field) -> None:
        if field.data and self.start_local.data and field.data > self.start_local.data:
            raise InvalidInput(_l("Registration must close before the training starts."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        message = _l("Write the title in English, in Spanish or in both.")
        return one_language_required(self, "title_en", "title_es", message) and valid


class NewTrainingForm(TrainingForm, CreateForm):
    pass


class RegistrationForm(CreateForm):
    organisation = required_text(_l("Organisation"), max_length=200)
    sector = _enum_choice(
        _l("Sector"), SECTOR_LABELS, _l("Choose public, private, academia or other as the sector.")
    )


class RegisterPersonForm(RegistrationForm):
    user_id = choice_field(
        _l("Person"), coerce=int, validators=[InputRequired(message=_l("Choose a person."))]
    )


class InviteExternalForm(CreateForm):
    email = email_field()
    language = language_field(_l("Language of the invitation"))


class ConfirmForm(BaseForm):
    """A button that changes something: only its CSRF token."""


class AttachMaterialForm(BaseForm):
    """The "Add" button beside a candidate: which document (materials.attach_material checks
    that the manager may open it and that it is the training's MoU's)."""

    document_id = IntegerField(validators=[InputRequired()])


def attendance_form(registrations, formdata=None):
    """One attendance choice per person with a seat, named by the registration's id."""

    class AttendanceForm(BaseForm):
        pass

    choices = options(
        [(NOT_RECORDED, _l("Not recorded"))]
        + [(mark.value, label) for mark, label in ATTENDANCE_LABELS.items()]
    )
    for registration in registrations:
        current = registration.attendance.value if registration.attendance else NOT_RECORDED
        setattr(
            AttendanceForm,
            f"registration_{registration.id}",
            choice_field(registration.user.name, choices=choices, default=current),
        )
    return AttendanceForm(formdata=formdata)


# The enums' labels as the training templates name them.
TEMPLATE_LABELS = {
    "audience_labels": AUDIENCE_LABELS,
    "format_labels": FORMAT_LABELS,
    "language_labels": LANGUAGE_LABELS,
    "sector_labels": SECTOR_LABELS,
    "status_labels": STATUS_LABELS,
    "attendance_labels": ATTENDANCE_LABELS,
}

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional
from wtforms.validators import ValidationError as InvalidInput

from portal.calendar.forms import fold_field, local_time_field
from portal.core.tlp import TLP
from portal.meetings.find_time import DURATIONS as FIND_DURATIONS
from portal.meetings.find_time import MAX_DAYS as FIND_MAX_DAYS
from portal.meetings.models import Attendance, Reply
from portal.meetings.recurrence import MAX_OCCURRENCES, Frequency
from portal.mous.forms import plausible_date
from portal.web.forms import (
    DATE_FORMAT_MESSAGE,
    BaseForm,
    CreateForm,
    choice_field,
    one_language_required,
    optional_text,
    options,
    single_line,
    strip,
    timezone_field,
)

# What a reply is, as shown in lists and counts.
REPLY_LABELS = {
    Reply.ACCEPTED: _l("Accepted"),
    Reply.TENTATIVE: _l("Tentative"),
    Reply.DECLINED: _l("Declined"),
    Reply.NEEDS_ACTION: _l("No reply yet"),
}
# What a person chooses when replying.
REPLY_CHOICES = {
    Reply.ACCEPTED: _l("Accept"),
    Reply.TENTATIVE: _l("Tentative"),
    Reply.DECLINED: _l("Decline"),
}
ATTENDANCE_LABELS = {
    Attendance.UNKNOWN: _l("Not recorded"),
    Attendance.PRESENT: _l("Present"),
    Attendance.ABSENT: _l("Absent"),
    Attendance.PARTIAL: _l("Partial"),
}
REPEAT_LABELS = {
    "none": _l("Does not repeat"),
    Frequency.WEEKLY.value: _l("Weekly, on the same weekday"),
    Frequency.MONTHLY_DAY.value: _l("Monthly, on the same day of the month"),
    Frequency.MONTHLY_WEEKDAY.value: _l("Monthly, on the same weekday (e.g. the second Tuesday)"),
    Frequency.MONTHLY_LAST_WEEKDAY.value: _l("Monthly, on the last of that weekday"),
}
SCOPE_LABELS = {
    "this": _l("Only this meeting"),
    "following": _l("This and all following meetings of the series"),
}


TITLE_NEEDED = _l("Write the title in English, in Spanish or in both.")


class MeetingForm(BaseForm):
    title_en = optional_text(_l("Title in English"), max_length=300)
    title_es = optional_text(_l("Title in Spanish"), max_length=300, render_kw={"lang": "es"})
    # The English description keeps the name it had before the form took both languages.
    description_md = TextAreaField(
        _l("Description in English (Markdown)"),
        filters=[strip],
        validators=[Length(max=20000, message=_l("Use at most %(max)d characters."))],
    )
    description_md_es = TextAreaField(
        _l("Description in Spanish (Markdown)"),
        filters=[strip],
        validators=[Length(max=20000, message=_l("Use at most %(max)d characters."))],
        render_kw={"lang": "es"},
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return one_language_required(self, "title_en", "title_es", TITLE_NEEDED) and valid

    start_local = local_time_field(_l("Starts (local time)"))
    end_local = local_time_field(_l("Ends (local time)"))
    timezone = timezone_field(_l("Time zone of these times"))
    start_fold = fold_field(_l("This start time happens twice that day. Which one?"))
    end_fold = fold_field(_l("This end time happens twice that day. Which one?"))
    place = StringField(
        _l("Place"),
        filters=[strip],
        validators=[Length(max=300, message=_l("Use at most %(max)d characters.")), single_line],
    )
    video_url = URLField(
        _l("Video link"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=500, message=_l("Use at most %(max)d characters.")),
            URL(require_tld=False, message=_l("Enter a web address starting with https://.")),
        ],
    )
    tlp = choice_field(
        _l("TLP label of its materials and minutes"),
        choices=options((t.value, t.label) for t in TLP),
        default=TLP.AMBER.value,
    )
    # Asked (and shown) only when the time falls on a party's holiday or outside its hours.
    confirm_off_hours = BooleanField(_l("Keep this time all the same."))
    off_hours_question = HiddenField()  # which question the box answers (its fingerprint)

    def validate_video_url(self, field) -> None:
        if field.data and not field.data.lower().startswith(("https://", "http://")):
            raise InvalidInput(_l("Enter a web address starting with https://."))


class NewMeetingForm(MeetingForm, CreateForm):
    repeat = choice_field(_l("Repeat"), choices=options(REPEAT_LABELS.items()), default="none")
    interval = IntegerField(
        _l("Every how many weeks or months"),
        default=1,
        validators=[
            Optional(),
            NumberRange(min=1, max=12, message=_l("Enter a number from %(min)s to %(max)s.")),
        ],
    )
    until_on = DateField(
        _l("Until (date)"),
        format="%Y-%m-%d",
        validators=[Optional(), plausible_date],
        invalid_value_message=DATE_FORMAT_MESSAGE,
    )
    count = IntegerField(
        _l("Or: number of meetings"),
        validators=[
            Optional(),
            NumberRange(
                min=2, max=MAX_OCCURRENCES, message=_l("Enter a number from %(min)s to %(max)s.")
            ),
        ],
    )
    confirm_ambiguous = BooleanField(
        _l("Hold those meetings at the first of the two times (the earlier instant).")
    )
    record_past = BooleanField(
        _l("Record a past meeting: it has already taken place; send no invitation.")
    )

    def validate_repeat(self, field) -> None:
        if field.data == "none":
            return
        if bool(self.until_on.data) == bool(self.count.data):
            raise InvalidInput(_l("A series needs an end: give a date or a number of meetings."))
        if (
            self.until_on.data
            and self.start_local.data
            and self.until_on.data < self.start_local.data.date()
        ):
            raise InvalidInput(_l("The series cannot end before it starts."))


class FindTimeForm(BaseForm):
    """The range find-a-time looks at (read from the query string: it changes nothing)."""

    class Meta:
        csrf = False

    start = DateField(
        _l("From (date)"),
        format="%Y-%m-%d",
        validators=[Optional(), plausible_date],
        invalid_value_message=DATE_FORMAT_MESSAGE,
    )
    end = DateField(
        _l("Until (date)"),
        format="%Y-%m-%d",
        validators=[Optional(), plausible_date],
        invalid_value_message=DATE_FORMAT_MESSAGE,
    )
    minutes = choice_field(
        _l("Length of the meeting"),
        coerce=int,
        choices=options((m, _l("%(minutes)d minutes", minutes=m)) for m in FIND_DURATIONS),
        default=60,
    )
    timezone = timezone_field(_l("Show the days of this time zone"))

    def validate_end(self, field) -> None:
        start, end = self.start.data, field.data
        if start and end and end < start:
            raise InvalidInput(_l("The end of the range cannot be before its start."))
        if start and end and (end - start).days + 1 > FIND_MAX_DAYS:
            raise InvalidInput(_l("Look at %(days)d days at most.", days=FIND_MAX_DAYS))


class EditMeetingForm(MeetingForm):
    scope = choice_field(_l("Apply to"), choices=options(SCOPE_LABELS.items()), default="this")


class CancelMeetingForm(BaseForm):
    scope = choice_field(_l("Cancel"), choices=options(SCOPE_LABELS.items()), default="this")


class AgendaItemForm(CreateForm):
    title = optional_text(_l("Agenda item in English"), max_length=300)
    title_es = optional_text(_l("Agenda item in Spanish"), max_length=300, render_kw={"lang": "es"})
    presenter = StringField(
        _l("Presenter"),
        filters=[strip],
        validators=[Length(max=200, message=_l("Use at most %(max)d characters.")), single_line],
    )
    planned_minutes = IntegerField(
        _l("Planned minutes"),
        validators=[
            Optional(),
            NumberRange(min=1, max=600, message=_l("Enter a number from %(min)s to %(max)s.")),
        ],
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        message = _l("Write the agenda item in English, in Spanish or in both.")
        return one_language_required(self, "title", "title_es", message) and valid


class InviteeForm(CreateForm):
    user_id = choice_field(
        _l("Person"), coerce=int, validators=[DataRequired(message=_l("Choose a person."))]
    )


class ReplyForm(BaseForm):
    reply = RadioField(
        _l("Your reply"),
        choices=options((r.value, label) for r, label in REPLY_CHOICES.items()),
        validators=[DataRequired(message=_l("Choose accept, tentative or decline."))],
    )
    comment = StringField(
        _l("Comment (optional)"),
        filters=[strip],
        validators=[Length(max=500, message=_l("Use at most %(max)d characters.")), single_line],
    )
    following = BooleanField(_l("Also for the following meetings of the series"))


def attendance_form(invitees, formdata=None):
    """A form with one attendance choice per invitee, named by the invitee's id; `invitees`
    as (id, name, attendance) (one page of them on the management page)."""

    class AttendanceForm(BaseForm):
        pass

    # Translated once for every invitee's choice, in the language of the request.
    labels = options((mark.value, str(label)) for mark, label in ATTENDANCE_LABELS.items())
    for invitee_id, name, attendance in invitees:
        setattr(
            AttendanceForm,
            f"invitee_{invitee_id}",
            choice_field(name, choices=labels, default=attendance.value),
        )
    return AttendanceForm(formdata=formdata)

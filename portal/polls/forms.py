"""The poll forms: proposing times, answering, picking one."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    RadioField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.calendar.forms import LOCAL_FORMAT, fold_field, plausible_local
from portal.core.tlp import TLP
from portal.mous.forms import plausible_date
from portal.polls.models import MAX_OPTIONS, Answer, PollStatus
from portal.web.forms import (
    DATE_FORMAT_MESSAGE,
    BaseForm,
    CreateForm,
    choice_field,
    options,
    required_text,
    single_line,
    strip,
    timezone_field,
)

ANSWER_LABELS = {
    Answer.YES: _l("Yes"),
    Answer.IF_NEED_BE: _l("If need be"),
    Answer.NO: _l("No"),
}
STATUS_LABELS = {
    PollStatus.OPEN: _l("Open"),
    PollStatus.CLOSED: _l("Time chosen"),
    PollStatus.CANCELLED: _l("Cancelled"),
}
SLOTS = range(1, MAX_OPTIONS + 1)


def _start_field(number: int) -> DateTimeLocalField:
    return DateTimeLocalField(
        _l("Time %(number)d: starts (local time)", number=number),
        format=LOCAL_FORMAT,
        invalid_value_message=_l("Enter the date and time as YYYY-MM-DD HH:MM."),
        validators=[Optional(), plausible_local],
    )


class PollForm(CreateForm):
    title_en = required_text(_l("Title in English"), max_length=300)
    title_es = required_text(_l("Title in Spanish"), max_length=300)
    timezone = timezone_field(_l("Time zone of these times"))
    duration_minutes = IntegerField(
        _l("Duration (minutes)"),
        default=60,
        validators=[
            InputRequired(message=_l("Enter a number of minutes.")),
            NumberRange(
                min=15,
                max=1440,
                message=_l(
                    "A meeting lasts from 15 minutes to 24 hours: it must end after it starts."
                ),
            ),
        ],
    )
    expires_on = DateField(
        _l("Answers close at the end of (date)"),
        format="%Y-%m-%d",
        validators=[InputRequired(message=_l("Enter a date.")), plausible_date],
        invalid_value_message=DATE_FORMAT_MESSAGE,
    )
    place = StringField(
        _l("Place"),
        filters=[strip],
        validators=[Length(max=300, message=_l("Use at most %(max)d characters.")), single_line],
    )
    tlp = choice_field(
        _l("TLP label of its materials and minutes"),
        choices=options((t.value, t.label) for t in TLP),
        default=TLP.AMBER.value,
    )

    def starts(self) -> dict:
        return {f"start_{n}": self[f"start_{n}"].data for n in SLOTS}

    def folds(self) -> dict:
        folds = {}
        for n in SLOTS:
            value = self[f"fold_{n}"].data
            folds[f"start_{n}"] = int(value) if value in ("0", "1") else None
        return folds


for _number in SLOTS:
    setattr(PollForm, f"start_{_number}", _start_field(_number))
    setattr(
        PollForm,
        f"fold_{_number}",
        fold_field(_l("This time happens twice that day. Which one?")),
    )


def answer_form(poll, formdata=None, current: dict | None = None, **kwargs):
    """One yes / if need be / no choice per proposed time, named by the time's id."""

    class AnswerForm(BaseForm):
        pass

    for option in poll.options:
        setattr(
            AnswerForm,
            f"option_{option.id}",
            RadioField(
                _l("Your answer"),
                choices=options((a.value, label) for a, label in ANSWER_LABELS.items()),
                validators=[Optional()],
                default=(current or {}).get(option.id),
                invalid_choice_message=_l("Choose one of the options in the list."),
            ),
        )
    return AnswerForm(formdata=formdata, **kwargs)


def answers_of(form, poll) -> dict[int, Answer]:
    return {
        option.id: Answer(form[f"option_{option.id}"].data)
        for option in poll.options
        if form[f"option_{option.id}"].data in {a.value for a in Answer}
    }


class PickForm(BaseForm):
    option_id = choice_field(
        _l("The time to schedule"),
        coerce=int,
        validators=[DataRequired(message=_l("Choose one of the proposed times."))],
    )
    # Asked (and shown) only when the picked time falls on a party's holiday or outside its
    # working hours, as when scheduling directly.
    confirm_off_hours = BooleanField(_l("Keep this time all the same."))
    off_hours_question = HiddenField()  # which question the box answers (its fingerprint)


# The audit log's words for what this feature records (declared in __init__.py).
AUDIT_KINDS = {
    "poll.opened": _l("Meeting times proposed"),
    "poll.answered": _l("Meeting time poll answered"),
    "poll.closed": _l("Meeting time chosen"),
    "poll.cancelled": _l("Meeting time poll cancelled"),
}
AUDIT_OBJECTS = {"poll": (_l("Meeting time poll"), ("polls.detail", "poll_id"))}

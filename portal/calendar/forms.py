"""Local-time form fields, and the question a form asks when a local time happens twice.

Meetings and trainings take wall-clock times in a chosen zone. On the day the clocks go
back a time happens twice: the service raises AmbiguousLocalTime and the view calls
`ask_which_local_time`, which shows the question (a `*_fold` radio field) under the field
it concerns. Choices are SelectChoice values directly: the calendar layer uses no web module.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional
from wtforms.validators import ValidationError as InvalidInput

from portal.calendar.localtime import AmbiguousLocalTime

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def plausible_local(form, field) -> None:
    if field.data and not 1945 <= field.data.year <= 2200:
        raise InvalidInput(_l("Enter a date between 1945 and 2200."))


def local_time_field(label) -> DateTimeLocalField:
    return DateTimeLocalField(
        label,
        format=LOCAL_FORMAT,
        invalid_value_message=_l("Enter the date and time as YYYY-MM-DD HH:MM."),
        # InputRequired, not DataRequired: it keeps the "not a date" message of the field.
        validators=[InputRequired(message=_l("Enter a date and time.")), plausible_local],
    )


def fold_field(label) -> RadioField:
    return RadioField(
        label,
        choices=[
            SelectChoice("0", _l("The first time")),
            SelectChoice("1", _l("The second time")),
        ],
        validators=[Optional()],
    )


def ask_which_local_time(form, error: AmbiguousLocalTime, asked: set[str]) -> None:
    """The local time happens twice: show the question under the field it concerns.

    `form` has `start_local`/`end_local` and their `start_fold`/`end_fold`; the name of
    the field asked about ("start" or "end") is added to `asked` for the template.
    """
    name = "start" if error.local == form.start_local.data else "end"
    asked.add(name)
    first, second = error.offsets()
    field = getattr(form, f"{name}_fold")
    field.choices = [
        SelectChoice("0", _("The first time (%(offset)s)", offset=first)),
        SelectChoice("1", _("The second time (%(offset)s)", offset=second)),
    ]
    field.errors = [
        _(
            "On that day the clocks go back: %(time)s happens twice in %(zone)s. "
            "Choose which one you mean.",
            time=error.local.strftime("%H:%M"),
            zone=error.zone,
        )
    ]

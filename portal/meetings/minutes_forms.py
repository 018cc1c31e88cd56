"""The minutes form: the Markdown text and the revision it was based on."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, TextAreaField
from wtforms.validators import ValidationError as InvalidInput

from portal.core.errors import ValidationError
from portal.meetings.minutes import MAX_BODY_LENGTH, check_body, normalise_body
from portal.meetings.minutes_reopening import MAX_REASON_LENGTH, check_reason
from portal.web.forms import BaseForm


class RevisionNumberField(HiddenField):
    """The revision the text was based on; anything but a number is an outdated or forged form."""

    def process_formdata(self, valuelist) -> None:
        raw = valuelist[0] if valuelist else ""
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 9):
            self.data = None
            raise ValueError(_l("The form is out of date. Reload the page and try again."))
        self.data = int(raw)


def minutes_text(form, field) -> None:
    try:
        check_body(field.data)
    except ValidationError as error:
        raise InvalidInput(error.message) from error


class MinutesForm(BaseForm):
    body = TextAreaField(
        _l("Minutes"),
        filters=[normalise_body],
        validators=[minutes_text],
        description=_l(
            "Markdown: # for headings, * for lists, **bold**, [text](https://...) for links."
        ),
        render_kw={"rows": 20, "maxlength": MAX_BODY_LENGTH, "required": True},
    )
    base_revision = RevisionNumberField()
    # Which of the two texts is saved: English unless the form says Spanish.
    language = HiddenField(_l("Language"), default="en")

    def validate_language(self, field) -> None:
        if (field.data or "en") not in ("en", "es"):
            raise InvalidInput(_l("Choose English or Spanish."))


def reopening_reason(form, field) -> None:
    try:
        check_reason(field.data)
    except ValidationError as error:
        raise InvalidInput(error.message) from error


class ReopenMinutesForm(BaseForm):
    reason = TextAreaField(
        _l("Why are the minutes reopened?"),
        validators=[reopening_reason],
        description=_l("Shown on the minutes page and kept in their history."),
        render_kw={"rows": 4, "maxlength": MAX_REASON_LENGTH, "required": True},
    )

"""The base form every form derives from (CSRF included) and fields shared by features."""

import unicodedata
from datetime import date
from functools import lru_cache

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import DateField, HiddenField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import Choice, SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget, Select, html_params

from portal.core.extensions import db
from portal.core.i18n import LANGUAGE_NAMES, localized
from portal.core.timezones import all_timezones, is_valid_timezone
from portal.web import submissions


class BaseForm(FlaskForm):
    """Every form: CSRF-protected, and lists its own fields (nothing else is read)."""


def _submission_token() -> str:
    return submissions.new_submission_token(current_user.get_id())


def _first_submission(form, field) -> None:
    """Refuse a token shown to another account; send a repeat to what the first one made."""
    nonce = submissions.submission_nonce(field.data, current_user.get_id())
    if nonce is None:
        raise ValidationError(
            _l("This form was opened by another account or has been altered. Reload the page.")
        )
    submissions.refuse_repeat(db.session, current_user.id, nonce)
    form.submission_nonce = nonce


class CreateForm(BaseForm):
    """A form that creates something: its one-time token makes a second submission of the same
    showing answer with the first one's object. Templates render form.submission_token beside
    the CSRF token; a post without it (a script, an old test) is taken as a first submission."""

    submission_token = HiddenField(default=_submission_token, validators=[_first_submission])

    def claim(self, kind: str, created, page: str) -> None:
        """Record, in the creating transaction, that this submission made `created`, shown
        at `page`."""
        submissions.claim_submission(
            db.session, current_user, self.submission_nonce, kind, created, page
        )


def options(pairs) -> list[SelectChoice]:
    """Choices for a select field from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


CHOOSE_ONE = _l("Choose one of the options.")


class ChoicesSelect(Select):
    """WTForms' select, drawing a plain option (a value, a label, perhaps selected) straight
    to HTML: its general drawing costs some 35 µs an option, too much for lists of hundreds
    (the people one may invite). The same markup; anything else is drawn as WTForms does."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw or not isinstance(choice.value, str | int):
            return super().render_option(choice, **kwargs)
        if isinstance(choice.value, bool):
            return super().render_option(choice, **kwargs)
        selected = " selected" if choice.selected else ""
        value, label = escape(choice.value), escape(choice.label or choice.value)
        # Plain text, escaped: the select's markup is made of the joined options.
        return f'<option{selected} value="{value}">{label}</option>'


class ChoiceField(SelectField):
    """A select; with `blank`, it starts on an empty "Choose…" option, so a choice nobody
    made is refused ("Choose one of the options.") instead of the first option being taken
    unread. Blank is for selects whose value no meaning preselects (no default)."""

    def __init__(self, label=None, validators=None, *, blank: bool = False, **kwargs):
        super().__init__(label, validators, widget=ChoicesSelect(), **kwargs)
        self.blank = blank
        self.type = "SelectField"  # drawn like every select (templates/_macros.html)

    def iter_choices(self):
        choices = super().iter_choices()
        if not self.blank:
            return choices
        # Selected only while nothing is chosen: a forged value must not pass as chosen.
        return [Choice("", _("Choose…"), self.data is None, {}), *choices]

    def process_formdata(self, valuelist):
        if self.blank and valuelist and valuelist[0] == "":
            self.data = None  # the blank option: nothing chosen, not a wrong value
            return
        super().process_formdata(valuelist)

    def pre_validate(self, form):
        if self.blank and self.data is None and not self.process_errors:
            if not any(isinstance(v, InputRequired | DataRequired) for v in self.validators):
                raise StopValidation(CHOOSE_ONE)
            return  # the field's own "required" message says what to choose
        super().pre_validate(form)


def choice_field(label, coerce=str, **kwargs) -> ChoiceField:
    """A select whose wrong or forged values get a message a person understands; without a
    default (and not optional) it starts on a blank "Choose…"."""
    optional = any(isinstance(v, Optional) for v in kwargs.get("validators", ()))
    return ChoiceField(
        label,
        coerce=coerce,
        blank="default" not in kwargs and not optional,
        invalid_choice_message=_l("Choose one of the options in the list."),
        invalid_value_message=_l("Choose one of the options in the list."),
        **kwargs,
    )


def party_options(parties) -> list[SelectChoice]:
    return options((p.id, f"{p.code} · {localized(p, 'name')}") for p in parties)


def person_label(person) -> str:
    """A person in a list of choices: their name and delegation, or that they are external."""
    where = person.party.code if person.party else _l("External participant")
    return f"{person.name} ({where})"


def strip(value):
    return value.strip() if isinstance(value, str) else value


# Direction overrides and isolates can make a name display as something else.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def single_line(form, field) -> None:
    """Refuse control characters (CR, LF, NUL, direction overrides...) in one-line fields."""
    if field.data and any(
        unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in BIDI_CONTROLS for ch in field.data
    ):
        raise ValidationError(_l("Use a single line of plain text."))


def required_text(label, max_length: int = 200, **kwargs) -> StringField:
    return StringField(
        label,
        filters=[strip],
        validators=[
            DataRequired(message=_l("This field is required.")),
            Length(max=max_length, message=_l("Use at most %(max)d characters.")),
            single_line,
        ],
        **kwargs,
    )


def language_field(label=None) -> SelectField:
    return ChoiceField(
        label or _l("Language"),
        blank=True,
        # Each language named in itself, and marked so (WCAG 3.1.2).
        choices=[
            SelectChoice(code, name, render_kw={"lang": code})
            for code, name in LANGUAGE_NAMES.items()
        ],
        validators=[DataRequired(message=_l("Choose a language."))],
        invalid_choice_message=_l("Choose English or Spanish."),
    )


class TimezoneSelect(ChoicesSelect):
    """The select of some 600 zones: the same markup as ChoicesSelect's, its options drawn
    once per zone chosen and language (the "Choose…" option's words), not per request."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for key in dir(flags):
            if key in self.validation_attrs and key not in kwargs:
                kwargs[key] = getattr(flags, key)
        chosen = field.data if is_valid_timezone(field.data or "") else None
        blank = (_("Choose…"), field.data is None) if field.blank else None
        drawn = _zone_options(chosen, blank)
        select = f"<select {html_params(name=field.name, **kwargs)}>{drawn}</select>"
        return Markup(select)  # noqa: S704 - escaped parameters and options  # nosec B704


@lru_cache(maxsize=1024)
def _zone_options(chosen: str | None, blank: tuple[str, bool] | None) -> str:
    drawn = []
    if blank is not None:
        label, selected = blank
        drawn.append(ChoicesSelect.render_option(Choice("", label, selected, {})))
    for zone in all_timezones():
        drawn.append(
            ChoicesSelect.render_option(Choice(zone, _zone_label(zone), zone == chosen, {}))
        )
    return "".join(drawn)


def _zone_label(zone: str) -> str:
    return zone.replace("_", " ")


class TimezoneField(ChoiceField):
    """A zone of the IANA list, checked against the set of zones rather than option by
    option."""

    def __init__(self, label=None, **kwargs):
        super().__init__(label, **kwargs)
        self.widget = TimezoneSelect()

    def pre_validate(self, form):
        if self.data is None:  # nothing chosen: ChoiceField says what to choose
            super().pre_validate(form)
        elif not self.process_errors and not is_valid_timezone(self.data):
            raise ValidationError(self.invalid_choice_message)


def timezone_field(label=None) -> SelectField:
    return TimezoneField(
        label or _l("Time zone"),
        blank=True,
        choices=options((z, _zone_label(z)) for z in all_timezones()),
        validators=[DataRequired(message=_l("Choose a time zone from the list."))],
        invalid_choice_message=_l("Choose a time zone from the list."),
    )


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("invalid_choice_message", _l("Choose one of the options in the list."))
        kwargs.setdefault("invalid_value_message", _l("Choose one of the options in the list."))
        super().__init__(label, validators, **kwargs)


def page_number(args) -> int:
    """The ?page= of a list, 1 when missing or not a positive number."""
    raw = args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 1_000_000 else 1


def show_service_error(form: FlaskForm, error) -> None:
    """Put a service's ValidationError under the field it names, or above the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def form_page(template: str, form: FlaskForm, **context):
    """Render a form page: 422 when it shows errors, so nothing of the request is committed."""
    status = 422 if form.errors else 200
    return render_template(template, form=form, **context), status


# Content in both languages (portal/core/bilingual.py) --------------------------------------


def optional_text(label, max_length: int = 200, **kwargs) -> StringField:
    """One version of a bilingual one-line field: either may be left empty."""
    return StringField(
        label,
        filters=[strip],
        validators=[
            Optional(),
            Length(max=max_length, message=_l("Use at most %(max)d characters.")),
            single_line,
        ],
        **kwargs,
    )


def one_language_required(form: FlaskForm, english: str, spanish: str, message) -> bool:
    """At least one of the two versions (fields named `english`, `spanish`) is written; else
    `message` under both."""
    english, spanish = form[english], form[spanish]
    if (english.data or "").strip() or (spanish.data or "").strip():
        return True
    for version in (english, spanish):
        version.errors = [*version.errors, message]
    return False


# A period of days, from the query string (reports: a GET, no CSRF) -------------------------

DATE_FORMAT_MESSAGE = _l("Enter the date as YYYY-MM-DD.")
# Reports cover the portal's life, not typing slips such as 1900 or 20266.
EARLIEST_DAY, LATEST_DAY = date(2000, 1, 1), date(2100, 12, 31)


def _in_portal_years(form, field) -> None:
    if field.data and not EARLIEST_DAY <= field.data <= LATEST_DAY:
        raise ValidationError(_l("Choose a date between 2000 and 2100."))


class PeriodForm(FlaskForm):
    """First and last day of a report's period, both optional; a form may set `default_first`
    (the day its report starts from when none is given) so that the last day is checked
    against it too."""

    class Meta:
        csrf = False

    first = DateField(
        _l("First day"),
        validators=[Optional(), _in_portal_years],
        invalid_value_message=DATE_FORMAT_MESSAGE,
    )
    last = DateField(
        _l("Last day"),
        validators=[Optional(), _in_portal_years],
        invalid_value_message=DATE_FORMAT_MESSAGE,
    )

    def validate_last(self, field) -> None:
        first = self.first.data or getattr(self, "default_first", None)
        if first and field.data and field.data < first:
            raise ValidationError(_l("The end of the period cannot be before its start."))

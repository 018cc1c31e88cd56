"""Forms of action items (the item, a status change, a comment, the list's filters) and labels."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
)

from portal.actions.models import ActionStatus, Priority
from portal.web.forms import (
    DATE_FORMAT_MESSAGE,
    BaseForm,
    CreateForm,
    MultiCheckboxField,
    choice_field,
    one_language_required,
    optional_text,
    options,
    strip,
)
from portal.web.forms import single_line as one_line

# What people read for each status and priority, in their language.
STATUS_LABELS = {
    ActionStatus.OPEN: _l("Open"),
    ActionStatus.IN_PROGRESS: _l("In progress"),
    ActionStatus.DONE: _l("Done"),
    ActionStatus.CANCELLED: _l("Cancelled"),
}
PRIORITY_LABELS = {
    Priority.HIGH: _l("High"),
    Priority.NORMAL: _l("Normal"),
    Priority.LOW: _l("Low"),
}
# The word for the history's field names.
FIELD_LABELS = {
    "created": _l("Created"),
    "title": _l("Title"),
    "description": _l("Description"),
    "due_on": _l("Due date"),
    "priority": _l("Priority"),
    "party": _l("Responsible party"),
    "owners": _l("Owners"),
    "status": _l("Status"),
    "cancel_reason": _l("Reason for cancelling"),
}

MAX_DESCRIPTION = 20000
MAX_COMMENT = 5000


def _length(maximum: int) -> Length:
    return Length(max=maximum, message=_l("Use at most %(max)d characters."))


class ActionForm(BaseForm):
    """Choices of owners, party and line are set by the view from the group's MoU."""

    # The English versions keep the names the form had before it took both languages.
    title = optional_text(_l("Title in English"), max_length=200)
    title_es = optional_text(_l("Title in Spanish"), max_length=200, render_kw={"lang": "es"})
    description_md = TextAreaField(
        _l("Description in English"),
        validators=[_length(MAX_DESCRIPTION)],
        description=_l("Markdown: * for lists, **bold**, [text](https://...) for links."),
        render_kw={"rows": 6},
    )
    description_md_es = TextAreaField(
        _l("Description in Spanish"),
        validators=[_length(MAX_DESCRIPTION)],
        render_kw={"rows": 6, "lang": "es"},
    )
    owner_ids = MultiCheckboxField(
        _l("Owners"),
        coerce=int,
        validators=[DataRequired(message=_l("Choose at least one owner."))],
    )
    party_id = choice_field(
        _l("Responsible party"),
        coerce=int,
        validators=[InputRequired(message=_l("Choose the responsible party."))],
    )
    due_on = DateField(
        _l("Due date"),
        validators=[InputRequired(message=_l("Enter the due date."))],
        invalid_value_message=DATE_FORMAT_MESSAGE,
    )
    priority = choice_field(
        _l("Priority"),
        choices=options(PRIORITY_LABELS.items()),
        default=Priority.NORMAL.value,
        validators=[InputRequired(message=_l("Choose a priority."))],
    )
    line_id = choice_field(_l("Line of cooperation"), coerce=int, default=0)
    # The service checks the chosen meeting, to say why one is refused (another group's...).
    meeting_id = choice_field(_l("Meeting of origin"), coerce=int, default=0, validate_choice=False)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        titled = one_language_required(
            self, "title", "title_es", _l("Write the title in English, in Spanish or in both.")
        )
        return valid and titled


class StatusForm(BaseForm):
    status = choice_field(
        _l("New status"),
        choices=options(STATUS_LABELS.items()),
        validators=[InputRequired(message=_l("Choose a status."))],
    )
    reason = StringField(
        _l("Reason (needed to cancel)"), filters=[strip], validators=[_length(500), one_line]
    )


class NewActionForm(ActionForm, CreateForm):
    pass


class CommentForm(CreateForm):
    body = TextAreaField(
        _l("Update"),
        filters=[strip],
        validators=[DataRequired(message=_l("Write the update.")), _length(MAX_COMMENT)],
        render_kw={"rows": 3},
    )


class FilterForm(FlaskForm):
    """The list's filters, read from the query string (a GET form changes nothing: no CSRF)."""

    class Meta:
        csrf = False

    group = choice_field(_l("Working group"), coerce=int, default=0, validators=[Optional()])
    party = choice_field(_l("Responsible party"), coerce=int, default=0, validators=[Optional()])
    status = choice_field(
        _l("Status"),
        choices=options([("", _l("Any")), *STATUS_LABELS.items()]),
        default="",
        validators=[Optional()],
    )
    mine = BooleanField(_l("Only mine"))
    overdue = BooleanField(_l("Only overdue"))
    # Offered only to those who may add a translation (access.may_add_translations).
    untranslated = BooleanField(_l("Only with a translation missing"))
    due_before = DateField(
        _l("Due before"), validators=[Optional()], invalid_value_message=DATE_FORMAT_MESSAGE
    )
    # The chosen group's meetings (portal/actions/list_views.py); one the reader may not see, or
    # of another group, is refused before (400).
    meeting = choice_field(_l("Meeting of origin"), coerce=int, default=0, validators=[Optional()])
    sort = choice_field(
        _l("Sort by"),
        choices=options([("due", _l("Due date")), ("priority", _l("Priority"))]),
        default="due",
        validators=[Optional()],
    )

    @property
    def status_value(self) -> ActionStatus | None:
        return ActionStatus(self.status.data) if self.status.data else None

"""The commitment forms (details, status, progress note, link), and the labels of statuses,
history fields and audit events."""

import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.validators import ValidationError as InvalidInput

from portal.commitments.models import CommitmentStatus
from portal.core.i18n import localized
from portal.web.forms import (
    DATE_FORMAT_MESSAGE,
    BaseForm,
    CreateForm,
    MultiCheckboxField,
    choice_field,
    options,
    single_line,
    strip,
)

STATUS_LABELS = {
    CommitmentStatus.PLANNED: _l("Planned"),
    CommitmentStatus.IN_PROGRESS: _l("In progress"),
    CommitmentStatus.ACHIEVED: _l("Achieved"),
    CommitmentStatus.DROPPED: _l("Dropped"),
}
# What the history calls each field.
FIELD_LABELS = {
    "created": _l("Recorded"),
    "title_en": _l("Title in English"),
    "title_es": _l("Title in Spanish"),
    "line_id": _l("Line of cooperation"),
    "party_ids": _l("Responsible parties"),
    "target_on": _l("Target date"),
    "status": _l("Status"),
    "drop_reason": _l("Reason for dropping"),
    "linked": _l("Work linked"),
    "unlinked": _l("Link removed"),
}
MAX_MESSAGE = _l("Use at most %(max)d characters.")


def _plain_text(form, field) -> None:
    """Lines of text: control characters other than line breaks and tabs are refused (a NUL
    would not even be stored)."""
    if field.data and any(
        unicodedata.category(ch) == "Cc" and ch not in "\r\n\t" for ch in field.data
    ):
        raise InvalidInput(_l("Remove the control characters from the text."))


def _some_title(form, field) -> None:
    if not (form.title_en.data or form.title_es.data):
        raise InvalidInput(_l("Give the title in English, in Spanish or in both."))


def _title(label) -> StringField:
    return StringField(
        label,
        filters=[strip],
        validators=[Length(max=300, message=MAX_MESSAGE), single_line],
    )


class CommitmentForm(BaseForm):
    """Choices of line and parties are the MoU's, set by the view."""

    title_en = StringField(
        _l("Title in English"),
        filters=[strip],
        validators=[_some_title, Length(max=300, message=MAX_MESSAGE), single_line],
        description=_l("Give the title in one language or in both."),
    )
    title_es = _title(_l("Title in Spanish"))
    line_id = choice_field(
        _l("Line of cooperation"),
        coerce=int,
        validators=[InputRequired(message=_l("Choose the line of cooperation."))],
    )
    party_ids = MultiCheckboxField(
        _l("Responsible parties"),
        coerce=int,
        validators=[DataRequired(message=_l("Choose the responsible party or parties."))],
    )
    target_on = DateField(
        _l("Target date"),
        validators=[InputRequired(message=_l("Enter the target date."))],
        invalid_value_message=DATE_FORMAT_MESSAGE,
    )

    def offer(self, mou) -> "CommitmentForm":
        self.line_id.choices = options((line.id, localized(line, "title")) for line in mou.lines)
        self.party_ids.choices = options(
            (party.id, localized(party, "name")) for party in mou.parties
        )
        return self


class NewCommitmentForm(CommitmentForm, CreateForm):
    """Recording a commitment: a second submission of the same form shows the first one's."""


class StatusForm(BaseForm):
    status = choice_field(
        _l("Status"),
        choices=options(STATUS_LABELS.items()),
        validators=[InputRequired(message=_l("Choose the status."))],
    )
    reason = StringField(
        _l("Reason for dropping"),
        filters=[strip],
        validators=[Optional(), Length(max=500, message=MAX_MESSAGE), single_line],
        description=_l("Needed when the commitment is dropped."),
    )


class NoteForm(CreateForm):
    noted_on = DateField(
        _l("Date"),
        validators=[InputRequired(message=_l("Enter the date of the progress."))],
        invalid_value_message=DATE_FORMAT_MESSAGE,
    )
    body = TextAreaField(
        _l("Progress"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("This field is required.")),
            Length(max=2000, message=MAX_MESSAGE),
            _plain_text,
        ],
    )


class LinkForm(BaseForm):
    """The choices are the MoU's work of one kind that the reader may open (set by the view)."""

    target = choice_field(
        _l("Linked to"), coerce=int, validators=[InputRequired(message=_l("Choose what to link."))]
    )


# The audit log's words for what this feature records (declared in __init__.py).
AUDIT_KINDS = {
    "commitment.created": _l("Commitment recorded"),
    "commitment.updated": _l("Commitment changed"),
    "commitment.status_changed": _l("Commitment status changed"),
    "commitment.note_added": _l("Commitment progress noted"),
    "commitment.linked": _l("Work linked to a commitment"),
    "commitment.unlinked": _l("Work unlinked from a commitment"),
}
AUDIT_OBJECTS = {"commitment": (_l("Commitment"), ("commitments.detail", "commitment_id"))}

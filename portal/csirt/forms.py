"""CSIRT forms (publish, import a STIX bundle, answer, filter the list) and their enums' labels."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.validators import ValidationError as InvalidInput

from portal.core.tlp import TLP, choice_label
from portal.csirt.indicators import TYPE_LABELS, InvalidIndicator, parse_indicator_lines
from portal.csirt.models import Answer, BulletinKind, Sector, Severity
from portal.web.forms import (
    BaseForm,
    CreateForm,
    MultiCheckboxField,
    choice_field,
    options,
    required_text,
    strip,
)

KIND_LABELS = {
    BulletinKind.ADVISORY: _l("Advisory"),
    BulletinKind.ALERT: _l("Alert"),
    BulletinKind.INCIDENT_REPORT: _l("Incident report"),
    BulletinKind.LESSONS_LEARNED: _l("Lessons learned"),
    BulletinKind.STATISTICS: _l("Statistics"),
}
SEVERITY_LABELS = {
    Severity.LOW: _l("Low"),
    Severity.MEDIUM: _l("Medium"),
    Severity.HIGH: _l("High"),
    Severity.CRITICAL: _l("Critical"),
}
SECTOR_LABELS = {
    Sector.GOVERNMENT: _l("Government"),
    Sector.ENERGY: _l("Energy"),
    Sector.FINANCE: _l("Finance"),
    Sector.HEALTH: _l("Health"),
    Sector.TELECOMMUNICATIONS: _l("Telecommunications"),
    Sector.TRANSPORT: _l("Transport"),
    Sector.WATER: _l("Water"),
    Sector.EDUCATION: _l("Education"),
    Sector.DEFENCE: _l("Defence"),
    Sector.OTHER: _l("Other sector"),
}
ANSWER_LABELS = {
    Answer.RECEIVED: _l("Received"),
    Answer.ACTING: _l("Acting on it"),
    Answer.NOT_RELEVANT: _l("Not relevant"),
}
ANY = ("", _l("Any"))


def valid_indicators(form, field) -> None:
    try:
        form.parsed_indicators = parse_indicator_lines(field.data)
    except InvalidIndicator as error:
        raise InvalidInput(error.message) from error


class BulletinForm(CreateForm):
    kind = choice_field(
        _l("Kind"), choices=options((k.value, label) for k, label in KIND_LABELS.items())
    )
    tlp = choice_field(
        _l("TLP label"),
        choices=options((t.value, choice_label(t)) for t in TLP),
        default=TLP.AMBER.value,
    )
    severity = choice_field(
        _l("Severity"), choices=options((s.value, label) for s, label in SEVERITY_LABELS.items())
    )
    sectors = MultiCheckboxField(
        _l("Affected sectors"),
        choices=options((s.value, label) for s, label in SECTOR_LABELS.items()),
    )
    title = required_text(_l("Title"), max_length=300)
    body_md = TextAreaField(
        _l("Text (Markdown)"),
        filters=[strip],
        validators=[Optional(), Length(max=20000, message=_l("Use at most %(max)d characters."))],
    )
    indicators = TextAreaField(
        _l("Indicators"),
        description=_l(
            "One a line: its type, a space and its value, e.g. “ipv4 192.0.2.10”, "
            "“domain malicious.example”, “cve CVE-2024-3094”. Types: %(types)s.",
            types="cve, domain, url, ipv4, ipv6, email, md5, sha1, sha256",
        ),
        validators=[
            Optional(),
            Length(max=100_000, message=_l("Use at most %(max)d characters.")),
            valid_indicators,
        ],
    )
    reader_ids = MultiCheckboxField(
        _l("People named (only they may open a TLP:RED bulletin)"), coerce=int
    )
    files = MultipleFileField(_l("Attachments"))

    parsed_indicators: list = []


class ImportForm(CreateForm):
    file = FileField(
        _l("STIX 2.1 bundle (JSON)"),
        validators=[DataRequired(message=_l("Choose a file to upload."))],
    )


class AcknowledgeForm(BaseForm):
    answer = choice_field(
        _l("Your CSIRT's answer"),
        choices=options((a.value, label) for a, label in ANSWER_LABELS.items()),
    )
    note = TextAreaField(
        _l("Note (optional)"),
        filters=[strip],
        validators=[Optional(), Length(max=1000, message=_l("Use at most %(max)d characters."))],
    )


class MarkForm(BaseForm):
    """CSRF only: marking a CSIRT member."""


def optional_choice(label, labels: dict):
    choices = options([ANY, *((value.value, text) for value, text in labels.items())])
    return choice_field(label, choices=choices, default="", validators=[Optional()])


class FilterForm(FlaskForm):
    """The list's filters, from the query string (a GET changes nothing: no CSRF)."""

    class Meta:
        csrf = False

    mou = choice_field(_l("MoU"), coerce=int, default=0, validators=[Optional()])
    kind = optional_choice(_l("Kind"), KIND_LABELS)
    tlp = optional_choice(_l("TLP label"), {t: t.label for t in TLP})
    severity = optional_choice(_l("Severity"), SEVERITY_LABELS)
    unanswered = BooleanField(_l("Awaiting my CSIRT's answer"))


INDICATOR_TYPE_LABELS = TYPE_LABELS


# The audit log's words for what this feature records (declared in __init__.py).
AUDIT_KINDS = {
    "csirt.attachment_downloaded": _l("CSIRT bulletin attachment downloaded"),
    "csirt.bulletin_acknowledged": _l("CSIRT bulletin answered"),
    "csirt.bulletin_exported": _l("CSIRT bulletin exported"),
    "csirt.bulletin_published": _l("CSIRT bulletin published"),
    "csirt.member_marked": _l("CSIRT member added"),
    "csirt.member_unmarked": _l("CSIRT member removed"),
}
AUDIT_OBJECTS = {
    "csirt_bulletin": (_l("CSIRT bulletin"), ("csirt.bulletin", "bulletin_id")),
}

"""Document forms: metadata (with TLP), first upload, new version, follow."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.validators import ValidationError as InvalidInput

from portal.core.tlp import TLP, choice_label
from portal.documents.models import DocumentCategory, DocumentLanguage
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

CATEGORY_LABELS = {
    DocumentCategory.BEST_PRACTICE: _l("Best practice"),
    DocumentCategory.NATIONAL_STRATEGY: _l("National strategy"),
    DocumentCategory.LEGISLATION: _l("Legislation"),
    DocumentCategory.PROTOCOL: _l("Protocol"),
    DocumentCategory.HUMAN_CAPITAL: _l("Human capital"),
    DocumentCategory.TRAINING_MATERIAL: _l("Education and training material"),
    DocumentCategory.MOU_TEXT: _l("MoU text"),
    DocumentCategory.OTHER: _l("Other"),
}
LANGUAGE_LABELS = {
    DocumentLanguage.SPANISH: _l("Spanish"),
    DocumentLanguage.ENGLISH: _l("English"),
    DocumentLanguage.OTHER: _l("Other language"),
}
MAX_TAGS = 10
TAG = re.compile(r"^[\w][\w .+-]{0,39}$")


def parse_tags(raw: str | None) -> list[str]:
    return list(dict.fromkeys(t.strip().lower() for t in (raw or "").split(",") if t.strip()))


def valid_tags(form, field) -> None:
    tags = parse_tags(field.data)
    if len(tags) > MAX_TAGS:
        raise InvalidInput(_l("Use at most %(count)d tags.", count=MAX_TAGS))
    if any(not TAG.match(t) for t in tags):
        raise InvalidInput(
            _l("Each tag is a word or short phrase of at most 40 letters, digits or spaces.")
        )


def file_field(label) -> FileField:
    return FileField(label, validators=[DataRequired(message=_l("Choose a file to upload."))])


class DocumentForm(BaseForm):
    # The English versions keep the names the form had before it took both languages.
    title = optional_text(_l("Title in English"), max_length=300)
    title_es = optional_text(_l("Title in Spanish"), max_length=300, render_kw={"lang": "es"})
    description_md = TextAreaField(
        _l("Summary in English (Markdown)"),
        filters=[strip],
        validators=[Optional(), Length(max=20000, message=_l("Use at most %(max)d characters."))],
    )
    description_md_es = TextAreaField(
        _l("Summary in Spanish (Markdown)"),
        filters=[strip],
        validators=[Optional(), Length(max=20000, message=_l("Use at most %(max)d characters."))],
        render_kw={"lang": "es"},
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        titled = one_language_required(
            self, "title", "title_es", _l("Write the title in English, in Spanish or in both.")
        )
        return valid and titled

    language = choice_field(
        _l("Language of the document"),
        choices=options((lang.value, label) for lang, label in LANGUAGE_LABELS.items()),
    )
    category = choice_field(
        _l("Category"),
        choices=options((c.value, label) for c, label in CATEGORY_LABELS.items()),
    )
    tags = StringField(
        _l("Tags"),
        description=_l("Separated by commas, e.g. incident response, CSIRT"),
        filters=[strip],
        validators=[Optional(), Length(max=500), single_line, valid_tags],
    )
    tlp = choice_field(
        _l("TLP label"),
        choices=options((t.value, choice_label(t)) for t in TLP),
        default=TLP.AMBER.value,
    )
    reader_ids = MultiCheckboxField(
        _l("People named (only they may open a TLP:RED document)"), coerce=int
    )


class UploadForm(DocumentForm, CreateForm):
    file = file_field(_l("File"))


class NewVersionForm(CreateForm):
    file = file_field(_l("File"))
    change_note = required_text(_l("What changed"), max_length=500)


class FollowForm(BaseForm):
    """CSRF only: the follow toggle."""


class AttachDocumentForm(BaseForm):
    document_id = choice_field(_l("Attach a document"), coerce=int)


# The library's landing page ------------------------------------------------------------------

SORT_LABELS = {
    "newest": _l("Newest first"),
    "oldest": _l("Oldest first"),
    "title": _l("Title"),
}
FIRST_YEAR, LAST_YEAR = 1970, 2999
ANY = ("", _l("Any"))


def plausible_year(form, field) -> None:
    """Far-off years are typing mistakes (and year 1 or 9999 cannot be moved across zones)."""
    if field.data and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise InvalidInput(
            _l("Choose a date between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR)
        )


def optional_choice(label, labels: dict):
    """A filter's select of an enum's values (`labels`: value -> label) whose first option,
    "Any", filters nothing."""
    choices = options([ANY, *((value.value, text) for value, text in labels.items())])
    return choice_field(label, choices=choices, default="", validators=[Optional()])


class LibraryFilterForm(FlaskForm):
    """The landing page's filters, read from the query string (a GET form changes nothing:
    no CSRF). The view gives the MoU and working-group choices: those the reader may list."""

    class Meta:
        csrf = False

    mou = choice_field(_l("MoU"), coerce=int, default=0, validators=[Optional()])
    group = choice_field(_l("Working group"), coerce=int, default=0, validators=[Optional()])
    tlp = optional_choice(_l("TLP label"), {t: t.label for t in TLP})
    category = optional_choice(_l("Category"), CATEGORY_LABELS)
    language = optional_choice(_l("Language"), LANGUAGE_LABELS)
    # Offered only to those who may add a translation (access.may_add_translations).
    untranslated = BooleanField(_l("Only with a translation missing"))
    since = DateField(
        _l("Added from"),
        validators=[Optional(), plausible_year],
        invalid_value_message=DATE_FORMAT_MESSAGE,
    )
    until = DateField(
        _l("Added until"),
        validators=[Optional(), plausible_year],
        invalid_value_message=DATE_FORMAT_MESSAGE,
    )
    sort = choice_field(
        _l("Sort by"),
        choices=options(SORT_LABELS.items()),
        default="newest",
        validators=[Optional()],
    )

    def __init__(self, *args, group_mous: dict[int, int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.group_mous = group_mous  # each offered group's MoU, to check the pair

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise InvalidInput(_l("The end date comes before the start date."))

    def validate_group(self, field) -> None:
        mou = self.mou.data
        if field.data and mou and self.group_mous.get(field.data) != mou:
            raise InvalidInput(_l("This working group is not of the chosen MoU."))

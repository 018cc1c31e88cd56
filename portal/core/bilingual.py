"""Content written in English, Spanish or both: what a reader sees of it, and what is missing.

A bilingual field `title` is two columns, `title_en` and `title_es`; either may be the one
written. A reader sees the text in their language, or, where only the other exists, that
text marked with its language (a `lang` attribute and a small "EN"/"ES" label), never an
empty field. Where both exist the other version is offered beside it. Whether a
translation is missing is shown only to people who may add it (the feature's access.py).
"""

from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import and_, func, or_
from sqlalchemy.ext.hybrid import hybrid_property

from portal.core.markdown import markdown_to_text

CONTENT_LANGUAGES = ("en", "es")
LABELS = {"en": "EN", "es": "ES"}


@dataclass(frozen=True)
class Name:
    """A name in both languages read as two columns of a row (a working group's), shown as
    the model's own would be (`localized(name, "name")`)."""

    name_en: str
    name_es: str


def other_language(language: str) -> str:
    return "es" if language == "en" else "en"


def reader_language(language: str | None) -> str:
    return language if language in CONTENT_LANGUAGES else "en"


@dataclass(frozen=True)
class Shown:
    """One bilingual field as a reader of `reader` sees it."""

    text: str  # "" only when neither language is written
    language: str  # the language `text` is in
    reader: str  # the reader's language
    other: str  # the other version, where both exist ("" otherwise)

    @property
    def marked(self) -> bool:
        """Written only in the language the reader does not read here."""
        return bool(self.text) and self.language != self.reader

    @property
    def other_language(self) -> str:
        return other_language(self.language)


def choose(english: str | None, spanish: str | None, language: str | None) -> Shown:
    """The text for a reader of `language` from its two versions."""
    reader = reader_language(language)
    texts = {"en": (english or "").strip() and english, "es": (spanish or "").strip() and spanish}
    own, other = texts[reader] or "", texts[other_language(reader)] or ""
    if own:
        return Shown(own, reader, reader, other)
    return Shown(other, other_language(reader), reader, "")


def shown(obj: object, field: str, language: str | None) -> Shown:
    """The field `field` of `obj` (columns `<field>_en`, `<field>_es`) for `language`."""
    return choose(getattr(obj, f"{field}_en", ""), getattr(obj, f"{field}_es", ""), language)


def text_in(obj: object, field: str, language: str | None) -> str:
    """The plain text a reader of `language` reads (mails, iCalendar, CSV, page titles)."""
    return shown(obj, field, language).text


def labelled_text(obj: object, field: str, language: str | None) -> str:
    """Plain text for a reader of `language` (a mail's subject or text part, an iCalendar
    SUMMARY), followed by "(EN)" or "(ES)" where it is in the other language."""
    value = shown(obj, field, language)
    return f"{value.text} ({LABELS[value.language]})" if value.marked else value.text


def markdown_text(obj: object, field: str, language: str | None) -> str:
    """A Markdown field as plain text for a reader of `language`, headed "(EN)" or "(ES)"
    where it is in the other language."""
    value = shown(obj, field, language)
    text = markdown_to_text(value.text)
    return f"({LABELS[value.language]}) {text}" if value.marked and text else text


def hit_texts(obj: object, language: str | None, title: str = "title", text: str = ""):
    """For a search hit: the title a reader of `language` reads, its language, and the text
    its snippet is cut from (both versions, the reader's first: a match in either shows)."""
    heading = shown(obj, title, language)
    body = shown(obj, text, language) if text else None
    excerpt = f"{body.text}\n\n{body.other}".strip() if body else ""
    return heading.text, heading.language, excerpt


def either(english: str | None, spanish: str | None) -> str:
    """Whichever version is written, English first: for what has no reader (logs, audit)."""
    return english if (english or "").strip() else (spanish or "")


def both(obj: object, *fields: str) -> str:
    """Every version of every field, for search terms: a search finds either language."""
    return "\n".join(
        getattr(obj, f"{field}_{code}", "") or "" for field in fields for code in CONTENT_LANGUAGES
    )


def columns(*fields: str) -> tuple[str, ...]:
    """The column names of bilingual fields, for keep_terms and kept-output declarations."""
    return tuple(f"{field}_{code}" for field in fields for code in CONTENT_LANGUAGES)


def missing_translation(obj: object, *fields: str) -> bool:
    """Some field is written in one language only."""
    for field in fields:
        english = (getattr(obj, f"{field}_en", "") or "").strip()
        spanish = (getattr(obj, f"{field}_es", "") or "").strip()
        if bool(english) != bool(spanish):
            return True
    return False


def missing_translation_clause(model: type, *fields: str):
    """SQL: some field of `model` is written in one language only (the lists' filter)."""
    terms = []
    for field in fields:
        english = func.trim(getattr(model, f"{field}_en"))
        spanish = func.trim(getattr(model, f"{field}_es"))
        terms.append(and_(english != "", spanish == ""))
        terms.append(and_(english == "", spanish != ""))
    return or_(*terms)


# Template helpers -------------------------------------------------------------------------


def _label(language: str) -> Markup:
    names = {"en": _("Written in English"), "es": _("Written in Spanish")}
    return Markup(
        ' <small class="badge text-bg-light border content-language" title="{}">{}</small>'
    ).format(names[language], LABELS[language])


def inline(value: Shown) -> Markup:
    """A short text (a title) in a page: marked with its language where it is not the
    reader's."""
    if not value.marked:
        return Markup("{}").format(value.text)
    return Markup('<span lang="{}">{}</span>').format(value.language, value.text) + _label(
        value.language
    )


def block(value: Shown, other_title: Shown | None = None) -> Markup:
    """Sanitised HTML (a description rendered at save time) in a page, marked where it is
    not in the reader's language, with the other version to open where both exist."""
    html = Markup(value.text)  # noqa: S704 - stored sanitised by render_markdown  # nosec B704
    if not value.text:
        body = Markup("")
    elif value.marked:
        # The label, in the reader's language, stays outside the text's `lang`.
        body = Markup('<p class="mb-1">{}</p><div lang="{}">{}</div>').format(
            _label(value.language), value.language, html
        )
    else:
        body = Markup("<div>{}</div>").format(html)
    other_html = Markup(value.other)  # noqa: S704 - sanitised as above  # nosec B704
    other_heading = other_title.other if other_title is not None else ""
    if not (value.other or (other_heading and not value.marked)):
        return body
    language = other_language(value.reader)
    summary = _("Read in English") if language == "en" else _("Read in Spanish")
    heading = (
        Markup('<p class="fw-semibold mb-1">{}</p>').format(other_heading)
        if other_heading
        else Markup("")
    )
    return body + Markup(
        '<details class="other-language mb-3"><summary>{}{}</summary>'
        '<div lang="{}" class="border-start ps-3 mt-2">{}{}</div></details>'
    ).format(summary, _label(language), language, heading, other_html)


def language_label(language: str | None) -> Markup:
    """The "EN"/"ES" label beside a text in the language the reader does not read here."""
    if language not in CONTENT_LANGUAGES or language == _reader():
        return Markup("")
    return _label(language)


def missing_mark() -> Markup:
    return Markup('<span class="badge text-bg-warning translation-missing">{}</span>').format(
        _("Translation missing")
    )


def _reader() -> str:
    return reader_language(str(get_locale() or "en"))


def _inline_filter(obj: object, field: str) -> Markup:
    return inline(shown(obj, field, _reader()))


def _block_filter(obj: object, field: str, title: str | None = None) -> Markup:
    language = _reader()
    return block(shown(obj, field, language), shown(obj, title, language) if title else None)


def _text_filter(obj: object, field: str) -> str:
    return text_in(obj, field, _reader())


def _plain_filter(obj: object, field: str) -> str:
    return labelled_text(obj, field, _reader())


def _markdown_filter(obj: object, field: str) -> str:
    return markdown_text(obj, field, _reader())


def register_template_helpers(app) -> None:
    """`{{ item|bi("title") }}`, `{{ item|bi_html("description_html", title="title") }}`,
    `{{ item|bi_text("title") }}` (plain, for <title> and attributes), in mails' text parts
    `{{ item|bi_plain("title") }}` and `{{ item|bi_markdown_text("description_md") }}`;
    `missing_mark()` and `missing_translation(obj, *fields)` for those who may edit."""
    app.jinja_env.filters["bi"] = _inline_filter
    app.jinja_env.filters["bi_html"] = _block_filter
    app.jinja_env.filters["bi_text"] = _text_filter
    app.jinja_env.filters["bi_plain"] = _plain_filter
    app.jinja_env.filters["bi_markdown_text"] = _markdown_filter
    app.jinja_env.globals["missing_mark"] = missing_mark
    app.jinja_env.globals["language_label"] = language_label
    app.jinja_env.globals["missing_translation"] = missing_translation


# Models -----------------------------------------------------------------------------------


def either_language(field: str) -> hybrid_property:
    """`obj.title` for a field kept as `title_en`/`title_es`: whichever is written, English
    first (in SQL too, to sort by). Code that sets it writes the English version."""

    def read(obj) -> str:
        return either(getattr(obj, f"{field}_en"), getattr(obj, f"{field}_es"))

    def write(obj, value: str) -> None:
        setattr(obj, f"{field}_en", value)

    def expression(cls):
        english, spanish = getattr(cls, f"{field}_en"), getattr(cls, f"{field}_es")
        return func.coalesce(func.nullif(func.trim(english), ""), spanish)

    return hybrid_property(read, write, None, expression)

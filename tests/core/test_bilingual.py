"""portal/core/bilingual.py and markdown_to_text: the reader's language, else the other marked;
never an empty field; Markdown as plain text for mails and calendars."""

from types import SimpleNamespace

from flask_babel import force_locale

from portal.core.bilingual import (
    block,
    choose,
    inline,
    labelled_text,
    markdown_text,
    missing_translation,
    shown,
)
from portal.core.markdown import markdown_to_text


def _item(title_en="", title_es="", html_en="", html_es=""):
    return SimpleNamespace(
        title_en=title_en,
        title_es=title_es,
        description_md_en=html_en,
        description_md_es=html_es,
        description_html_en=html_en,
        description_html_es=html_es,
    )


def test_each_reader_gets_their_language_or_the_other_marked(words_context):
    english_only, both = _item("Monthly sync"), _item("Monthly sync", "Reunión mensual")
    assert (choose("", "Hola", "en").text, choose("", "Hola", "en").marked) == ("Hola", True)
    assert choose("  ", "Hola", "es").other == ""  # blank is not written
    assert shown(both, "title", "es").text == "Reunión mensual"
    assert shown(both, "title", "es").other == "Monthly sync"
    assert shown(both, "title", "fr").text == "Monthly sync"  # other languages read English
    assert labelled_text(english_only, "title", "es") == "Monthly sync (EN)"
    assert labelled_text(english_only, "title", "en") == "Monthly sync"
    assert missing_translation(english_only, "title") and not missing_translation(both, "title")
    assert not missing_translation(_item(), "title")  # nothing written: nothing to translate
    with force_locale("es"):
        marked = str(inline(shown(english_only, "title", "es")))
        assert marked.startswith('<span lang="en">Monthly sync</span>')
        assert 'title="Escrito en inglés">EN</small>' in marked
        assert str(inline(shown(_item("<b>x</b>"), "title", "en"))) == "&lt;b&gt;x&lt;/b&gt;"
        page = str(
            block(shown(_item(html_en="<p>A</p>", html_es="<p>B</p>"), "description_html", "es"))
        )
        assert page.startswith("<div><p>B</p></div>")
        assert "<summary>Leer en inglés" in page and '<div lang="en"' in page and "<p>A</p>" in page
    assert str(block(shown(_item(), "description_html", "es"))) == ""


def test_markdown_becomes_plain_text(words_context):
    text = "# Plan\n\n**Monthly** sync, see [the plan](https://example.org/p).\n\n* one\n* `two`"
    assert markdown_to_text(text) == (
        "Plan\n\nMonthly sync, see the plan (https://example.org/p).\n\n- one\n- two"
    )
    assert markdown_to_text("<https://example.org>") == "https://example.org"
    spanish = _item(html_es="Revisar el **avance**.")
    assert markdown_text(spanish, "description_md", "en") == "(ES) Revisar el avance."
    assert markdown_text(spanish, "description_md", "es") == "Revisar el avance."

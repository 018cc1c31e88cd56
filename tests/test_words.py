"""Issue 13 item 7: words that match the moment and the reader.

Every label and choice of every form reads in the reader's language (none fixed in English
when its module was imported), counts take plural forms, and reminders say "today at",
"tomorrow at" or "in one hour" in each reader's zone and language.
"""

import importlib
import pkgutil

from babel.messages.pofile import read_po
from flask_babel import force_locale
from wtforms import SelectFieldBase

import portal
from portal.forms import BaseForm
from portal.i18n import LANGUAGE_NAMES
from tests.test_i18n import CATALOGUE


def _all_forms() -> list[type]:
    for module in pkgutil.walk_packages(portal.__path__, "portal."):
        importlib.import_module(module.name)
    found, pending = [], [BaseForm]
    while pending:
        for subclass in pending.pop().__subclasses__():
            found.append(subclass)
            pending.append(subclass)
    return found


def _english_with_spanish() -> set[str]:
    """The English texts the catalogue translates into something else."""
    with CATALOGUE.open("rb") as po:
        catalogue = read_po(po, locale="es")
    return {
        m.id for m in catalogue if isinstance(m.id, str) and m.id and m.string and m.string != m.id
    }


def _texts(form) -> list[str]:
    texts = []
    for field in form:
        texts.append(str(field.label.text))
        if isinstance(field, SelectFieldBase) and getattr(field, "choices", None):
            for choice in field.choices:
                label = choice[1] if isinstance(choice, tuple) else choice.label
                texts.append(str(label))
    return texts


def test_every_form_label_and_choice_reads_in_spanish(app):
    english = _english_with_spanish()
    forms = _all_forms()
    assert len(forms) > 20
    left_in_english = []
    with app.test_request_context(), force_locale("es"):
        for form_class in forms:
            try:
                form = form_class(formdata=None)
            except TypeError:  # built with arguments of its own by its view
                continue
            left_in_english += [
                f"{form_class.__module__}.{form_class.__name__}: {text!r}"
                for text in _texts(form)
                if text not in LANGUAGE_NAMES.values()  # each language named in itself
                and (text in english or any(f" · {e}" in text for e in english))
            ]
    assert left_in_english == [], "\n".join(left_in_english)

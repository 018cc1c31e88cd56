"""Documents in plain words: who may see one (its TLP label said as a sentence), file sizes,
and the labels every document template reads.

The sentences follow the rule in access.py; they name the MoU, the working group and the
delegations of the document at hand, in the reader's language.
"""

from babel.lists import format_list
from babel.units import format_unit
from flask_babel import get_locale
from flask_babel import gettext as _

from portal.core.i18n import localized
from portal.core.tlp import TLP, TLP_DESCRIPTIONS
from portal.documents.forms import CATEGORY_LABELS, LANGUAGE_LABELS
from portal.documents.models import Document

# (unit, bytes in it), largest first: 1 kB is 1,000 bytes, as CLDR's units are.
_SIZE_UNITS = (
    ("digital-gigabyte", 1000**3),
    ("digital-megabyte", 1000**2),
    ("digital-kilobyte", 1000),
)


def file_size(size: int) -> str:
    """ "1.2 MB" / "1,2 MB": a file's size in the reader's language, one decimal at most."""
    locale = get_locale()
    for unit, scale in _SIZE_UNITS:
        if size >= scale:
            return format_unit(size / scale, unit, length="short", format="#,##0.#", locale=locale)
    return format_unit(size, "digital-byte", length="short", locale=locale)


def _names(names: list[str]) -> str:
    """ "Chile and United Kingdom" / "Chile y United Kingdom"."""
    return format_list(names, locale=get_locale())


def _delegations(document: Document) -> str:
    """The delegations of the document's MoU, as said after "of"."""
    parties = [localized(party, "name") for party in document.mou.parties]
    if len(parties) == 2:
        return _("both delegations (%(parties)s)", parties=_names(parties))
    return _("the delegations of %(parties)s", parties=_names(parties))


def _whole_mou(document: Document) -> str:
    return _(
        "%(label)s — every account of %(delegations)s in the MoU “%(mou)s”.",
        label=document.tlp.label,
        delegations=_delegations(document),
        mou=localized(document.mou, "title"),
    )


def _group(document: Document) -> str:
    return _(
        "%(label)s — the members of the working group “%(group)s” of %(delegations)s, "
        "and the coordinators and observers of those delegations.",
        label=document.tlp.label,
        group=localized(document.working_group, "name"),
        delegations=_delegations(document),
    )


def _owning_party_only(document: Document) -> str:
    party = localized(document.owning_party, "name")
    if document.working_group is None:
        return _(
            "%(label)s — only the delegation of %(party)s in the MoU “%(mou)s”.",
            label=document.tlp.label,
            party=party,
            mou=localized(document.mou, "title"),
        )
    return _(
        "%(label)s — only the members of the working group “%(group)s” of the delegation of "
        "%(party)s, and that delegation's coordinators and observers.",
        label=document.tlp.label,
        group=localized(document.working_group, "name"),
        party=party,
    )


def who_may_see(document: Document) -> str:
    """The document's TLP label and who may open it, as one sentence in the reader's language
    ("TLP:AMBER — the members of the working group “X” of both delegations, ...")."""
    if document.tlp == TLP.CLEAR:
        return _("%(label)s — anyone, even without an account.", label=document.tlp.label)
    if document.tlp == TLP.RED:
        return _(
            "%(label)s — only the people named: %(names)s.",
            label=document.tlp.label,
            names=_names([person.name for person in document.readers]),
        )
    if document.tlp == TLP.AMBER_STRICT:
        return _owning_party_only(document)
    if document.tlp == TLP.AMBER and document.working_group is not None:
        return _group(document)
    return _whole_mou(document)


def template_labels() -> dict:
    """What the document templates read to name categories, languages, labels and sizes."""
    return {
        "categories": CATEGORY_LABELS,
        "languages": LANGUAGE_LABELS,
        "tlp_descriptions": TLP_DESCRIPTIONS,
        "file_size": file_size,
    }

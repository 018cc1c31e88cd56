"""The management page's documents to attach: the form finding them and the form attaching
one to an agenda item, drawn once for every item (its address and id put in per item).

Both are drawn from the documents the manager may attach (read with the manager's own rule)
and from the request's language, with the page's address, the item and the form token as
slots. Managers are administrators and coordinators, whose documents of an MoU follow from
the documents, their id and party and whether they read the MoU
(documents.access.mou_documents_follow_party): the drawn forms are kept in the process per
manager under the MoU's library version, read with the page's facts before the documents, and
raised by every change of a document of the MoU (its named readers included). A search of
documents is drawn for its request only.
"""

from dataclasses import dataclass

from flask import get_template_attribute, render_template
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from portal.core.i18n import current_language
from portal.core.kept import HTML_SLOTS, ProcessStore
from portal.documents import access as document_access
from portal.meetings import attachments

PARTS = "meetings/_manage_parts.html"
# Slots of the drawn forms: the management page's address, an item's id and attaching address.
MANAGE_URL, ITEM, ACTION, CSRF = "manage_url", "item", "action", "csrf"
# A few MoUs' documents per manager and language: some 10 KB each.
KEPT = ProcessStore("meeting-manage-documents", size=512)


@dataclass(frozen=True)
class Candidates:
    """What may be attached (attachments.AgendaDocuments), as <option>s, and the two forms."""

    found: attachments.AgendaDocuments
    options: Markup
    search_form: list[str]  # slot: MANAGE_URL
    attach_form: list[str]  # slots: ITEM, ACTION, CSRF


def kept_candidates(session: Session, viewer, facts) -> Candidates:
    """The forms for the latest documents of the meeting's MoU the manager may attach (no
    words searched), kept under the MoU's library version read with the page's `facts`."""

    def draw() -> Candidates:
        return drawn(attachments.candidate_documents(session, viewer, facts.mou_id))

    if not document_access.mou_documents_follow_party(viewer):
        return draw()
    reader = (viewer.id, viewer.role, viewer.party_id, facts.reads_mou)
    key = (facts.mou_id, facts.library_version, *reader, current_language())
    return KEPT.get(session, key, draw)


def drawn(found: attachments.AgendaDocuments) -> Candidates:
    options = option_tags(found.candidates)
    search_form = get_template_attribute(PARTS, "documents_search")(
        HTML_SLOTS.slot(MANAGE_URL), found, attachments.MAX_CANDIDATES
    )
    slot = HTML_SLOTS.slot
    attach_form = attached_list(0, slot(ITEM), [], found, options, {}, slot(ACTION), slot(CSRF))
    return Candidates(found, options, HTML_SLOTS.split(search_form), HTML_SLOTS.split(attach_form))


def attached_list(
    meeting_id, item_id, documents_here, found, options, failed: dict, action=None, csrf=None
) -> Markup:
    """An agenda item's documents the manager may open, and the form attaching another."""
    html = render_template(
        "documents/_attached_list.html",
        meeting_id=meeting_id,
        item_id=item_id,
        documents_here=documents_here,
        can_manage=True,
        candidate_options=options,
        search=found.search,
        csrf=csrf,
        attach_form=failed.get("attach_form"),
        attach_item_id=failed.get("attach_item_id"),
        attach_action=action,
    )
    return Markup(html)  # noqa: S704 - rendered by the template, escaped  # nosec B704


# The selects of a form that did not fail are drawn here, as ChoicesSelect draws them (the
# `field` macro draws each option through WTForms: some 0.3 ms a select, for a page of them).


def option_tags(choices, selected=None) -> Markup:
    return Markup(  # noqa: S704 - every value and label escaped  # nosec B704
        "".join(
            f'<option{" selected" if value == selected else ""} value="{escape(value)}">'
            f"{escape(label)}</option>"
            for value, label in choices
        )
    )

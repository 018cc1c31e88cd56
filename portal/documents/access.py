"""Who may open, upload, edit and relabel documents: the TLP 2.0 rule.

The ladder is portal/core/tlp.py's (shared with CSIRT bulletins); a working group's readers
form the AMBER circle. The one rule for who may open a document: every page, list, count,
search, download and mail goes through can_view_document (one object) or
visible_documents_clause (SQL).

  CLEAR         anyone, also anonymous visitors
  GREEN         every delegation account of the MoU's parties (and administrators)
  AMBER         the readers of its working group, both parties (without a group: as GREEN)
  AMBER+STRICT  as AMBER, and only of the owning party: never the other party, nor an
                administrator of another party
  RED           only the people named on the document, administrators included only if named
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true
from sqlalchemy.orm import aliased, joinedload, selectinload

from portal.accounts.models import Role, User
from portal.core.access import PARTY_WIDE_READERS, can_administer, same_party
from portal.core.readership import ObjectPage, Readers, Readership
from portal.core.tlp import TLP, tlp_allows, tlp_clause
from portal.documents.models import Document, document_readers
from portal.mous.access import (
    can_view_mou,
    can_view_working_group,
    group_loading,
    mou_readers_clause,
    visible_working_groups_clause,
)
from portal.mous.models import Mou, WorkingGroup

# The alias for the readable-group subquery, built once (see mous.access).
_DOCUMENT_GROUP = aliased(WorkingGroup, name="document_group")


def _document_amber_reader(user: User, document: Document) -> bool:
    if document.working_group is None:
        return can_view_mou(user, document.mou)
    return can_view_working_group(user, document.working_group)


def can_view_document(user: User, document: Document) -> bool:
    return tlp_allows(
        document.tlp,
        user,
        document.owning_party_id,
        named=lambda: user.id in document.reader_ids,
        mou_reader=lambda: can_view_mou(user, document.mou),
        circle=lambda: _document_amber_reader(user, document),
    )


def visible_documents_clause(user: User) -> ColumnElement[bool]:
    """A WHERE clause on Document keeping what the user may open (the rule above, in SQL)."""

    def circle() -> ColumnElement[bool]:
        group = _DOCUMENT_GROUP
        readable_group = exists(
            select(group.id).where(
                group.id == Document.working_group_id, visible_working_groups_clause(user, group)
            )
        )
        return or_(
            and_(Document.working_group_id.is_(None), mou_readers_clause(Document.mou_id, user)),
            readable_group,
        )

    def named() -> ColumnElement[bool]:
        return exists(
            select(document_readers.c.user_id).where(
                document_readers.c.document_id == Document.id,
                document_readers.c.user_id == user.id,
            )
        )

    return tlp_clause(
        Document.tlp,
        Document.owning_party_id,
        user,
        named=named,
        mou_reader=lambda: mou_readers_clause(Document.mou_id, user),
        circle=circle,
    )


def mou_documents_follow_party(user: User) -> bool:
    """Whether the documents of an MoU the user may open follow from the documents alone (their
    labels, groups, owning parties and named readers), the user's party and whether they read
    the MoU, never from which working groups they belong to: true of administrators and of
    party-wide readers, who read every group of the MoUs they read (what they may open can be
    kept under the MoU's library version, their id, party and that)."""
    return can_administer(user) or user.role in PARTY_WIDE_READERS


DOCUMENT_AUTHORS = (Role.ADMINISTRATOR, Role.COORDINATOR, Role.MEMBER)


def can_view_library(user: User, mou: Mou, working_group: WorkingGroup | None) -> bool:
    if working_group is not None:
        return can_view_working_group(user, working_group)
    return can_view_mou(user, mou)


def may_upload_documents(user: User) -> bool:
    """Whether the user may upload to the libraries they may view (lists of those, read with
    visible_mous_clause and visible_working_groups_clause, ask only this)."""
    return user.is_authenticated and user.role in DOCUMENT_AUTHORS


def can_upload_document(user: User, mou: Mou, working_group: WorkingGroup | None) -> bool:
    """Members, coordinators and administrators who read the library; observers change nothing."""
    return may_upload_documents(user) and can_view_library(user, mou, working_group)


def can_edit_document(user: User, document: Document) -> bool:
    """Metadata and new versions: its author, the owning party's coordinator, administrators."""
    if not can_view_document(user, document):
        return False
    return edits_documents_of(user, document.created_by_id, document.owning_party_id)


def edits_documents_of(user: User, created_by_id: int, owning_party_id: int) -> bool:
    """can_edit_document for a document the user may open, from its author and owning party
    (the kept document page asks it of the columns it reads)."""
    if not user.is_authenticated or user.role not in DOCUMENT_AUTHORS:
        return False
    return (
        can_administer(user)
        or user.id == created_by_id
        or (user.role == Role.COORDINATOR and same_party(user.party_id, owning_party_id))
    )


def may_add_translations(user: User) -> bool:
    """Whether the user is offered the "translation missing" filter at all."""
    return user.is_authenticated and user.role in DOCUMENT_AUTHORS


def editable_documents_clause(user: User) -> ColumnElement[bool]:
    """SQL of can_edit_document, with visible_documents_clause beside it: the documents
    whose missing translation the user may add (the library's filter)."""
    if not may_add_translations(user):
        return false()
    if can_administer(user):
        return true()
    own = Document.created_by_id == user.id
    if user.role == Role.COORDINATOR and user.party_id is not None:
        return or_(own, Document.owning_party_id == user.party_id)
    return own


def can_change_tlp(user: User, document: Document, new_label: TLP) -> bool:
    """SECURITY 17: editors may tighten; only the owning party's coordinator may loosen."""
    if new_label == document.tlp or not can_edit_document(user, document):
        return new_label == document.tlp
    if new_label.rank > document.tlp.rank:
        return True
    return user.role == Role.COORDINATOR and same_party(user.party_id, document.owning_party_id)


def can_follow_document(user: User, document: Document) -> bool:
    return user.is_authenticated and can_view_document(user, document)


# Mails ----------------------------------------------------------------------------------------


def _document_loading(readers: Readers) -> tuple:
    return (
        joinedload(Document.mou).selectinload(Mou.parties),
        *group_loading(joinedload(Document.working_group), readers),
        selectinload(Document.readers.and_(User.id.in_(readers.ids))),
    )


def _document_without_red_text(person: User, document: Document) -> bool:
    """A mail written while the document was not RED carries its title: once it is RED, that
    mail may not go to anyone (SECURITY 18), only one written for RED (kind "document_red")."""
    return document.tlp != TLP.RED and can_view_document(person, document)


DOCUMENT_PAGE = ObjectPage(_l("Document"), "documents.detail", "document_id")
MAIL_READERSHIP = {
    "document": Readership(
        Document, _document_loading, _document_without_red_text, page=DOCUMENT_PAGE
    ),
    "document_red": Readership(Document, _document_loading, can_view_document, page=DOCUMENT_PAGE),
}

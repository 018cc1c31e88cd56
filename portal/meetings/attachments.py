"""Documents attached to meeting agenda items.

The meeting page lists, under each agenda item, only the attached documents its reader
may open (the same TLP rule as everywhere). Whoever manages the meeting attaches and
detaches documents of the meeting's MoU that they may open themselves.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, bindparam, delete, exists, insert, select
from sqlalchemy.orm import Session

from portal.accounts.models import Role, User
from portal.core.access import role_clause, viewer_parameters
from portal.core.bilingual import labelled_text, reader_language
from portal.core.errors import Denied, Forbidden, NotFound, ValidationError
from portal.documents import access
from portal.documents.models import Document, agenda_item_documents
from portal.meetings import access as meeting_access
from portal.meetings.models import AgendaItem, Meeting

# Documents offered under each agenda item (the latest changed); any other is found by its
# title. Each item's select repeats them: 100 made some 11 KB of every item's HTML.
MAX_CANDIDATES = 20
MAX_SEARCH = 100  # characters of the words a manager searches documents by
# What the pages show of a document: a link to it, its title and its TLP.
SHOWN = (Document.id, Document.title_en, Document.title_es, Document.tlp)


@dataclass
class AgendaDocuments:
    """What the management page shows: documents per agenda item, and what may be attached
    as (id, label): the MoU's documents the manager may open, or those whose title has the
    words searched; `more` when others match beyond the first MAX_CANDIDATES."""

    by_item: dict[int, list] = field(default_factory=dict)
    candidates: list[tuple[int, str]] = field(default_factory=list)
    search: str = ""
    more: bool = False


def visible_attachments(session: Session, viewer: User, meeting_id: int) -> dict[int, list]:
    """The documents attached to the meeting's agenda items that the viewer may open, as
    rows of what the pages show of them (SHOWN)."""
    parameters = {"meeting_id": meeting_id, **viewer_parameters(viewer)}
    by_item = defaultdict(list)
    for row in session.execute(_attachments_statement(viewer.role), parameters):
        by_item[row.agenda_item_id].append(row)
    return dict(by_item)


@cache
def _attachments_statement(role: Role) -> Select:
    """Built once per role, run with the viewer's id and party: building the TLP rule costs
    more than running it."""
    return (
        select(agenda_item_documents.c.agenda_item_id, *SHOWN)
        .join(Document, Document.id == agenda_item_documents.c.document_id)
        .join(AgendaItem, AgendaItem.id == agenda_item_documents.c.agenda_item_id)
        .where(
            AgendaItem.meeting_id == bindparam("meeting_id"),
            role_clause(access.visible_documents_clause, role),
        )
        .order_by(Document.title)
    )


def has_attachments_clause() -> ColumnElement[bool]:
    """A column on Meeting: whether any document is attached to its agenda."""
    return exists(
        select(agenda_item_documents.c.document_id)
        .join(AgendaItem, AgendaItem.id == agenda_item_documents.c.agenda_item_id)
        .where(AgendaItem.meeting_id == Meeting.id)
    )


def agenda_documents(
    session: Session, viewer: User, meeting: Meeting, search: str = ""
) -> AgendaDocuments:
    """What the management page shows the viewer, and what a manager may attach: the MoU's
    documents they may open, latest changed first; with `search`, only those whose title (in
    either language) holds its words."""
    by_item = visible_attachments(session, viewer, meeting.id)
    if not meeting_access.can_manage_meetings(viewer, meeting.working_group):
        return AgendaDocuments(by_item=by_item)
    result = candidate_documents(session, viewer, meeting.working_group.mou_id, search)
    result.by_item = by_item
    return result


def candidate_documents(session: Session, viewer: User, mou_id: int, search: str = ""):
    """What a manager may attach (AgendaDocuments without `by_item`): the MoU's documents
    they may open, latest changed first, or those whose title holds the words of `search`."""
    search = " ".join(search.split())[:MAX_SEARCH]
    statement = _candidates_statement(viewer.role)
    if search:
        statement = statement.where(*(_title_holds(word) for word in search.split()))
    parameters = {"mou_id": mou_id, "limit": MAX_CANDIDATES + 1, **viewer_parameters(viewer)}
    rows = session.execute(statement, parameters).all()
    language = reader_language(str(get_locale() or "en"))
    return AgendaDocuments(
        search=search,
        more=len(rows) > MAX_CANDIDATES,
        candidates=[
            (row.id, f"{labelled_text(row, 'title', language)} · {row.tlp.label}")
            for row in rows[:MAX_CANDIDATES]
        ],
    )


@cache
def _candidates_statement(role: Role) -> Select:
    """The MoU's documents a viewer of `role` may open, latest changed first, built once per
    role (the words searched are added to it)."""
    return (
        select(*SHOWN)
        .where(
            Document.mou_id == bindparam("mou_id"),
            role_clause(access.visible_documents_clause, role),
        )
        # Read backwards along the MoU's index by date, stopping at the page's count:
        # putting the group's first would read every document of the MoU (13 ms at scale).
        .order_by(Document.updated_at.desc(), Document.id.desc())
        .limit(bindparam("limit"))
    )


def _title_holds(word: str) -> ColumnElement[bool]:
    return Document.title_en.icontains(word, autoescape=True) | Document.title_es.icontains(
        word, autoescape=True
    )


def _item(meeting: Meeting, item_id: int) -> AgendaItem:
    item = next((i for i in meeting.agenda if i.id == item_id), None)
    if item is None:
        raise NotFound()
    return item


def require_meeting_manager(actor: User, meeting: Meeting) -> None:
    if not meeting_access.can_manage_meetings(actor, meeting.working_group):
        raise Forbidden()


def attach_document(
    session: Session, actor: User, meeting: Meeting, item_id: int, document: Document
) -> None:
    require_meeting_manager(actor, meeting)
    item = _item(meeting, item_id)
    if not access.can_view_document(actor, document):
        raise Denied("document", document.id)
    if document.mou_id != meeting.working_group.mou_id:
        raise ValidationError(_l("Choose a document of this meeting's MoU."), "document_id")
    already = session.scalar(
        select(agenda_item_documents.c.document_id).where(
            agenda_item_documents.c.agenda_item_id == item.id,
            agenda_item_documents.c.document_id == document.id,
        )
    )
    if already is None:
        session.execute(
            insert(agenda_item_documents).values(agenda_item_id=item.id, document_id=document.id)
        )


def attached(
    session: Session, actor: User, meeting: Meeting, item_id: int, document_id: int
) -> tuple[AgendaItem, Document]:
    """The agenda item and one of its documents the actor may open; 404 otherwise."""
    item = _item(meeting, item_id)
    document = session.scalar(
        select(Document)
        .join(agenda_item_documents, agenda_item_documents.c.document_id == Document.id)
        .where(
            agenda_item_documents.c.agenda_item_id == item.id,
            Document.id == document_id,
            access.visible_documents_clause(actor),
        )
    )
    if document is None:
        raise NotFound()
    return item, document


def detach_document(
    session: Session, actor: User, meeting: Meeting, item_id: int, document_id: int
) -> None:
    require_meeting_manager(actor, meeting)
    item = _item(meeting, item_id)
    session.execute(
        delete(agenda_item_documents).where(
            agenda_item_documents.c.agenda_item_id == item.id,
            agenda_item_documents.c.document_id == document_id,
        )
    )

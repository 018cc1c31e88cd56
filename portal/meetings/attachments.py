"""Documents attached to meeting agenda items.

The meeting page lists, under each agenda item, only the attached documents its reader
may open (the same TLP rule as everywhere). Whoever manages the meeting attaches and
detaches documents of the meeting's MoU that they may open themselves.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, delete, exists, insert, select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.core.errors import Denied, Forbidden, NotFound, ValidationError
from portal.documents import access
from portal.documents.models import Document, agenda_item_documents
from portal.meetings import access as meeting_access
from portal.meetings.models import AgendaItem, Meeting

MAX_CANDIDATES = 100


@dataclass
class AgendaDocuments:
    """What the meeting page shows: documents per agenda item, and what may be attached."""

    by_item: dict[int, list[Document]] = field(default_factory=dict)
    candidates: list[Document] = field(default_factory=list)


def visible_attachments(session: Session, viewer: User, meeting_id: int) -> dict[int, list]:
    """The documents attached to the meeting's agenda items that the viewer may open."""
    rows = session.execute(
        select(agenda_item_documents.c.agenda_item_id, Document)
        .join(Document, Document.id == agenda_item_documents.c.document_id)
        .join(AgendaItem, AgendaItem.id == agenda_item_documents.c.agenda_item_id)
        .where(AgendaItem.meeting_id == meeting_id, access.visible_documents_clause(viewer))
        .order_by(Document.title)
    )
    by_item = defaultdict(list)
    for item_id, document in rows:
        by_item[item_id].append(document)
    return dict(by_item)


def has_attachments_clause() -> ColumnElement[bool]:
    """A column on Meeting: whether any document is attached to its agenda."""
    return exists(
        select(agenda_item_documents.c.document_id)
        .join(AgendaItem, AgendaItem.id == agenda_item_documents.c.agenda_item_id)
        .where(AgendaItem.meeting_id == Meeting.id)
    )


def agenda_documents(session: Session, viewer: User, meeting: Meeting) -> AgendaDocuments:
    """What the meeting page shows the viewer, and what a manager may attach."""
    result = AgendaDocuments(by_item=visible_attachments(session, viewer, meeting.id))
    if meeting_access.can_manage_meetings(viewer, meeting.working_group):
        result.candidates = list(
            session.scalars(
                select(Document)
                .where(
                    Document.mou_id == meeting.working_group.mou_id,
                    access.visible_documents_clause(viewer),
                )
                .order_by(Document.updated_at.desc())
                .limit(MAX_CANDIDATES)
            )
        )
    return result


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

"""Reading documents as a given person, for other features' pages."""

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.documents import access
from portal.documents.models import Document
from portal.mous.models import Mou, WorkingGroup


def _recent(session: Session, reader: User, where: ColumnElement[bool], limit: int) -> list:
    query = (
        select(Document)
        .where(where, access.visible_documents_clause(reader))
        .order_by(Document.updated_at.desc(), Document.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def recent_group_documents(
    session: Session, reader: User, group: WorkingGroup, *, limit: int = 5
) -> list[Document]:
    """The working group page's: the group's documents the reader may open, latest first."""
    return _recent(session, reader, Document.working_group_id == group.id, limit)


def recent_mou_documents(
    session: Session, reader: User, mou: Mou, *, limit: int = 5
) -> list[Document]:
    """The MoU page's: the documents of the MoU and its groups the reader may open, latest
    first."""
    return _recent(session, reader, Document.mou_id == mou.id, limit)

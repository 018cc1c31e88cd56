"""Reading documents as a given person, for other features' pages."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.documents import access
from portal.documents.models import Document
from portal.mous.models import WorkingGroup


def recent_group_documents(
    session: Session, reader: User, group: WorkingGroup, *, limit: int = 5
) -> list[Document]:
    """The working group page's: the group's documents the reader may open, latest first."""
    query = (
        select(Document)
        .where(Document.working_group_id == group.id, access.visible_documents_clause(reader))
        .order_by(Document.updated_at.desc(), Document.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))

"""Reading documents as a given person, for the dashboard (the library and search have their
own modules)."""

from datetime import timedelta

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.accounts.sessions import previous_visit
from portal.core.access import can_administer
from portal.core.db import utcnow
from portal.documents import access
from portal.documents.models import Document
from portal.mous.access import party_in_mou
from portal.web.attention import Waiting, count_with_first

# How far back "new" reaches when the reader has no earlier visit (a first login).
WITHOUT_EARLIER_VISIT = timedelta(days=7)


def new_since_last_visit(session: Session, reader: User) -> Waiting:
    """Documents of the reader's MoUs added by others since their last visit (the last
    activity of their login sessions before the newest, or the last WITHOUT_EARLIER_VISIT),
    that they may open; the first is the newest, with its MoU."""
    since = func.coalesce(previous_visit(reader), utcnow() - WITHOUT_EARLIER_VISIT)
    in_readers_mous = true() if can_administer(reader) else party_in_mou(Document.mou_id, reader)
    statement = (
        select(Document.id, Document.mou_id)
        .where(
            Document.created_at > since,
            Document.created_by_id != reader.id,
            in_readers_mous,
            access.visible_documents_clause(reader),
        )
        .order_by(Document.created_at.desc(), Document.id.desc())
    )
    return count_with_first(session, statement)

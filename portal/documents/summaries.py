"""Short reads of documents for other pages: the dashboard's documents new since the
reader's last visit, and the latest documents of a working group or an MoU for their pages'
panels. Each statement is built once per role (core.access.ParametricViewer) and goes through
access.visible_documents_clause."""

from datetime import timedelta
from functools import cache

from sqlalchemy import Select, bindparam, func, select, true
from sqlalchemy.orm import Session

from portal.accounts.models import Role, User
from portal.accounts.sessions import previous_visit
from portal.core.access import ParametricViewer, can_administer, viewer_parameters
from portal.core.db import utcnow, written_limit
from portal.core.together import Read
from portal.documents import access
from portal.documents.models import Document
from portal.mous.access import party_in_mou
from portal.mous.models import Mou, WorkingGroup
from portal.web.attention import Waiting, read_waiting, waiting_statement

# How far back "new" reaches when the reader has no earlier visit (a first login).
WITHOUT_EARLIER_VISIT = timedelta(days=7)


def new_since_last_visit(session: Session, reader: User) -> Waiting:
    """Documents of the reader's MoUs added by others since their last visit (the last
    activity of their login sessions before the newest, or the last WITHOUT_EARLIER_VISIT),
    that they may open; the first is the newest, with its MoU."""
    parameters = {
        **viewer_parameters(reader),
        "first_visit_since": utcnow() - WITHOUT_EARLIER_VISIT,
    }
    return read_waiting(session, _new_since_last_visit(reader.role), parameters)


@cache
def _new_since_last_visit(role: Role) -> Select:
    """Built once per role (as the dashboard's other statements): building it costs more
    than running it."""
    reader = ParametricViewer(role)
    first_visit_since = bindparam("first_visit_since", type_=Document.created_at.type)
    since = func.coalesce(previous_visit(reader), first_visit_since)
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
    return waiting_statement(statement)


def _recent(reader: User, scope: str, scope_id: int, limit: int) -> Read:
    """What the panels show of each, as plain rows: not the descriptions of a whole row."""
    parameters = {**viewer_parameters(reader), "scope_id": scope_id}
    return Read(_recent_query(reader.role, scope, limit), parameters)


@cache
def _recent_query(role: Role, scope: str, limit: int) -> Select:
    """Built once per role, scope (a group's or an MoU's documents) and limit: building the
    access rule costs more than running the statement. The limit is written into it
    (core.db.written_limit), so that the page's statement keeps one plan."""
    viewer = ParametricViewer(role)
    scoped = Document.working_group_id if scope == "group" else Document.mou_id
    shown = (Document.id, Document.title_en, Document.title_es, Document.tlp, Document.updated_at)
    return (
        select(*shown)
        .where(scoped == bindparam("scope_id"), access.visible_documents_clause(viewer))
        .order_by(Document.updated_at.desc(), Document.id.desc())
        .limit(written_limit(limit))
    )


def recent_group_documents(reader: User, group: WorkingGroup, *, limit: int = 5) -> Read:
    """The working group page's: the group's documents the reader may open, latest first."""
    return _recent(reader, "group", group.id, limit)


def recent_mou_documents(reader: User, mou: Mou, *, limit: int = 5) -> Read:
    """The MoU page's: the documents of the MoU and its groups the reader may open, latest
    first."""
    return _recent(reader, "mou", mou.id, limit)

"""What the API lists: each collection through its feature's visible clause, paged by cursor.

A cursor is the id of the last item of a page, signed for its collection (core.tokens): a
client cannot forge one to skip the clause (the clause runs on every page anyway), nor hand
one collection's cursor to another. Pages run by id, so an item added meanwhile neither
repeats nor hides another.
"""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.accounts.models import User
from portal.actions.access import visible_actions_clause
from portal.actions.models import ActionItem
from portal.commitments.access import visible_commitments_clause
from portal.commitments.models import Commitment
from portal.core.tokens import read_signed_token, signed_token
from portal.documents.access import visible_documents_clause
from portal.documents.models import Document
from portal.meetings.access import visible_meetings_clause
from portal.meetings.models import Meeting
from portal.mous.access import visible_mous_clause, visible_working_groups_clause
from portal.mous.models import Mou, WorkingGroup
from portal.trainings.access import visible_trainings_clause
from portal.trainings.models import Training

DEFAULT_LIMIT = 50
MAX_LIMIT = 100


class BadCursor(ValueError):
    """A cursor this collection did not hand out."""


@dataclass(frozen=True)
class CursorPage:
    items: list
    next_cursor: str | None


def _cursor_purpose(collection: str) -> str:
    return f"api-cursor:{collection}"


def read_cursor(collection: str, cursor: str | None) -> int:
    """The id after which the page starts (0 for the first page)."""
    if not cursor:
        return 0
    payload = read_signed_token(_cursor_purpose(collection), cursor)
    after = payload.get("after") if payload else None
    if not isinstance(after, int) or isinstance(after, bool) or after < 0:
        raise BadCursor(cursor)
    return after


def cursor_page(
    session: Session, collection: str, query: Select, model, *, cursor: str | None, limit: int
) -> CursorPage:
    after = read_cursor(collection, cursor)
    rows = list(
        session.scalars(query.where(model.id > after).order_by(model.id).limit(limit + 1)).unique()
    )
    items = rows[:limit]
    next_cursor = cursor_after(collection, items[-1].id) if len(rows) > limit else None
    return CursorPage(items, next_cursor)


def cursor_after(collection: str, last_id: int) -> str:
    """The cursor of the page after the one ending with `last_id`."""
    return signed_token(_cursor_purpose(collection), {"after": last_id})


# Each collection: its model, the visible clause of its feature, and what its items show.
COLLECTIONS = {
    "mous": (
        Mou,
        visible_mous_clause,
        (selectinload(Mou.parties), selectinload(Mou.areas), selectinload(Mou.lines)),
    ),
    "working_groups": (WorkingGroup, visible_working_groups_clause, ()),
    "meetings": (
        Meeting,
        visible_meetings_clause,
        # The group and MoU joined to the page's statement, the MoUs' parties in one more.
        (joinedload(Meeting.working_group).joinedload(WorkingGroup.mou).selectinload(Mou.parties),),
    ),
    "action_items": (
        ActionItem,
        visible_actions_clause,
        (selectinload(ActionItem.owners), selectinload(ActionItem.responsible_party)),
    ),
    "documents": (
        Document,
        visible_documents_clause,
        (selectinload(Document.versions), selectinload(Document.owning_party)),
    ),
    "trainings": (Training, visible_trainings_clause, ()),
    "commitments": (
        Commitment,
        visible_commitments_clause,
        (selectinload(Commitment.parties),),
    ),
}


def list_visible(
    session: Session, actor: User, collection: str, *, cursor: str | None, limit: int, **filters
) -> CursorPage:
    """A page of what `actor` may see of the collection, optionally filtered by equal columns."""
    model, clause, options = COLLECTIONS[collection]
    query = select(model).where(clause(actor)).options(*options)
    for column, value in filters.items():
        if value is not None:
            query = query.where(getattr(model, column) == value)
    return cursor_page(session, collection, query, model, cursor=cursor, limit=limit)


def local_times(meeting: Meeting) -> list[dict]:
    """The meeting's start and end on each of its MoU parties' clocks, and the host's."""
    zones = [(party.code, party.timezone) for party in meeting.working_group.mou.parties]
    return [
        {
            "party": code,
            "timezone": zone,
            "starts_at": meeting.starts_at.astimezone(ZoneInfo(zone)).isoformat(),
            "ends_at": meeting.ends_at.astimezone(ZoneInfo(zone)).isoformat(),
        }
        for code, zone in zones
    ]

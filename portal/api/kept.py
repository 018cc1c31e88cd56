"""The API's page of meetings, each item's JSON kept under the meeting's `page_version`.

A page of meetings is read as the ids and versions of the meetings the token's person may see
(the rule of meetings/access.py, built once per role), after the cursor, by id. Each item's
JSON (schemas.MeetingOut) is the same for every reader and changes only with what raises
`Meeting.page_version` (meetings/page_cache.py: the meeting, its group and MoU, the parties'
codes and zones), so it is kept in the process under (id, version): only the meetings not yet
kept are loaded and dumped. The versions are read before the data, so an item is never older
than the version it is kept under.
"""

from functools import cache, partial

from flask import Response, jsonify
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from portal.accounts.models import Role, User
from portal.api.queries import COLLECTIONS, cursor_after, read_cursor
from portal.api.schemas import MeetingOut
from portal.core.access import ParametricViewer, viewer_parameters
from portal.core.kept import ProcessStore
from portal.meetings.access import visible_meetings_clause
from portal.meetings.models import Meeting

ITEMS = ProcessStore("api-meetings", size=8192)
COLLECTION = "meetings"


def meetings_page(
    session: Session, actor: User, *, cursor: str | None, limit: int, working_group_id=None
) -> Response:
    """The page as JSON ({"items": [...], "next_cursor": ...}); BadCursor for a cursor this
    list did not give."""
    parameters = {
        "after": read_cursor(COLLECTION, cursor),
        "limit": limit + 1,
        "group_id": working_group_id,
        **viewer_parameters(actor),
    }
    statement = _versions(actor.role, working_group_id is not None)
    rows = session.execute(statement, parameters).all()
    shown = rows[:limit]
    dumped = _dumped(session, shown)
    next_cursor = cursor_after(COLLECTION, shown[-1].id) if len(rows) > limit else None
    return jsonify({"items": [dumped[row.id] for row in shown], "next_cursor": next_cursor})


def _dumped(session: Session, rows) -> dict[int, dict]:
    """Each meeting's JSON, kept or loaded and dumped now (in one statement for all)."""
    found = {row.id: ITEMS.kept(session, (row.id, row.page_version)) for row in rows}
    missing = {row.id: row.page_version for row in rows if found[row.id] is None}
    if missing:
        _, _, options = COLLECTIONS[COLLECTION]
        loaded = session.scalars(
            select(Meeting).where(Meeting.id.in_(missing)).options(*options)
        ).unique()
        schema = MeetingOut()
        for meeting in loaded:
            key = (meeting.id, missing[meeting.id])
            found[meeting.id] = ITEMS.get(session, key, partial(schema.dump, meeting))
    return found


@cache
def _versions(role: Role, by_group: bool) -> Select:
    """Built once per role and filter: building the rule's clause costs more than running it."""
    viewer = ParametricViewer(role)
    statement = select(Meeting.id, Meeting.page_version).where(visible_meetings_clause(viewer))
    if by_group:
        statement = statement.where(Meeting.working_group_id == bindparam("group_id"))
    return (
        statement.where(Meeting.id > bindparam("after"))
        .order_by(Meeting.id)
        .limit(bindparam("limit"))
    )

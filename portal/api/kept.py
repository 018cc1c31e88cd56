"""The API's page of meetings, each item's JSON kept under the meeting's `page_version`.

A page of meetings is read as the ids and versions of the meetings the token's person may see
(the rule of meetings/access.py, built once per role), after the cursor, by id. Each item's
JSON (schemas.MeetingOut) is the same for every reader and changes only with what raises
`Meeting.page_version` (meetings/page_cache.py: the meeting, its group and MoU, the parties'
codes and zones), so its JSON text is kept in the process under (id, version): only the
meetings not yet kept are loaded and dumped, and the page is those texts joined. The versions
are read before the data, so an item is never older than the version it is kept under.

A reader's page is also kept whole, per cursor, size and group, under the group pages'
generation (portal/mous/kept_pages.py), which every change of a meeting, its invitees, its
group, MoU or parties, a membership or a person raises: which meetings a person may see and
what they show follow from those alone. A page seen before is then one short statement.
"""

from functools import cache, partial

from flask import Response, current_app
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from portal.accounts.models import Role, User
from portal.api.queries import COLLECTIONS, cursor_after, read_cursor
from portal.api.schemas import MeetingOut
from portal.core.access import ParametricViewer, viewer_parameters
from portal.core.kept import ProcessStore
from portal.meetings.access import visible_meetings_clause
from portal.meetings.models import Meeting
from portal.mous.kept_pages import keep_page, kept_page, reader_key

ITEMS = ProcessStore("api-meetings", size=8192)
COLLECTION = "meetings"


def meetings_page(
    session: Session, actor: User, *, cursor: str | None, limit: int, working_group_id=None
) -> Response:
    """The page as JSON ({"items": [...], "next_cursor": ...}); BadCursor for a cursor this
    list did not give. Kept whole for its reader as the group pages are (the module's
    docstring)."""
    after = read_cursor(COLLECTION, cursor)
    arguments = (after, limit, working_group_id)
    key = reader_key(session, actor, "api-meetings", arguments, timely=False)
    page = kept_page(session, key)
    if page is None:
        page = keep_page(session, key, lambda: _page(session, actor, *arguments))
    return current_app.response_class(page, mimetype="application/json")


def _page(session: Session, actor: User, after: int, limit: int, working_group_id) -> str:
    parameters = {
        "after": after,
        "limit": limit + 1,
        "group_id": working_group_id,
        **viewer_parameters(actor),
    }
    statement = _versions(actor.role, working_group_id is not None)
    rows = session.execute(statement, parameters).all()
    shown = [(row.id, row.page_version) for row in rows[:limit]]
    items = ITEMS.get_many(session, shown, partial(_dumped, session))
    next_cursor = cursor_after(COLLECTION, shown[-1][0]) if len(rows) > limit else None
    body = ",".join(items[key] for key in shown)
    return f'{{"items":[{body}],"next_cursor":{current_app.json.dumps(next_cursor)}}}'


def _dumped(session: Session, missing: list[tuple[int, int]]) -> dict:
    """The JSON text of each meeting not kept yet, loaded in one statement."""
    versions = dict(missing)
    _, _, options = COLLECTIONS[COLLECTION]
    meetings = session.scalars(
        select(Meeting).where(Meeting.id.in_(versions)).options(*options)
    ).unique()
    schema, json = MeetingOut(), current_app.json
    return {(m.id, versions[m.id]): json.dumps(schema.dump(m)) for m in meetings}


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

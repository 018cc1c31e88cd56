"""The version of a working group's action items, and the renderings it keys.

What the action list and the progress chart show of a group is the same for every reader
who reads the whole group, so it is rendered once per version and kept in the process
(portal/rendered.py). Every flush that changes something they show raises
`WorkingGroup.actions_version` in the same transaction, as portal/meetings/page_cache.py
does for meeting pages: an item created, changed or deleted (its status, dates, owners,
text), the group renamed; a renamed person or party code raises every group's.

Readers read the version before the data, so data kept under a version is never older
than that version. A session that has raised a version and not yet committed renders
without the kept renderings: what it sees may still be rolled back.
"""

from itertools import chain

from sqlalchemy import event, inspect, update
from sqlalchemy.orm import Session

from portal.accounts.models import Party, User
from portal.actions.models import ActionItem
from portal.mous.models import WorkingGroup
from portal.rendered import UNCOMMITTED_VERSION

# What the list rows show of people, parties and groups.
SHOWN_FIELDS = {User: ("name",), Party: ("code",), WorkingGroup: ("name_en", "name_es")}


def _changed(obj: object, fields: tuple[str, ...]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


def _groups_changed(session: Session) -> tuple[set[int], bool]:
    """The groups whose items this flush changed, and whether every group's rows changed."""
    groups: set[int] = set()
    every_group = False
    new = set(session.new)
    for obj in chain(session.new, session.dirty, session.deleted):
        if obj in session.dirty and not session.is_modified(obj):
            continue
        if isinstance(obj, ActionItem):
            history = inspect(obj).attrs.working_group_id.history
            groups.update(g for g in chain([obj.working_group_id], history.deleted) if g)
        elif (
            type(obj) in SHOWN_FIELDS and obj not in new and _changed(obj, SHOWN_FIELDS[type(obj)])
        ):
            if isinstance(obj, WorkingGroup):
                groups.add(obj.id)
            else:
                every_group = True
    return groups, every_group


@event.listens_for(Session, "after_flush")
def _raise_actions_versions(session: Session, _flush_context) -> None:
    groups, every_group = _groups_changed(session)
    if not groups and not every_group:
        return
    table = WorkingGroup.__table__
    statement = update(table).values(actions_version=table.c.actions_version + 1)
    if not every_group:
        statement = statement.where(table.c.id.in_(groups))
    session.connection().execute(statement)
    session.info[UNCOMMITTED_VERSION] = True
    for obj in session.identity_map.values():  # their loaded version is now an old one
        if isinstance(obj, WorkingGroup) and (every_group or obj.id in groups):
            session.expire(obj, ["actions_version"])


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_raised(session: Session) -> None:
    session.info.pop(UNCOMMITTED_VERSION, None)

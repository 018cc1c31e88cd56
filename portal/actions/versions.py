"""The version of a working group's action items, and the renderings it keys.

What the action list and the progress chart show of a group is the same for every reader
who reads the whole group, so it is rendered once per version and kept in the process
(portal/core/rendered.py). Every flush that changes something they show raises
`WorkingGroup.actions_version` in the same transaction, as portal/meetings/page_cache.py
does for meeting pages: an item created, changed or deleted (its status, dates, owners,
text), the group renamed, a person owning items renamed, a party answering for items
recoded.

Readers read the version before the data, so data kept under a version is never older
than that version. A session that has raised a version and not yet committed renders
without the kept renderings: what it sees may still be rolled back.
"""

from itertools import chain

from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session

from portal.accounts.models import Party, User
from portal.actions.models import ActionItem, action_owners
from portal.core.rendered import UNCOMMITTED_VERSION
from portal.mous.models import WorkingGroup

# What the list rows show of people, parties and groups.
SHOWN_FIELDS = {User: ("name",), Party: ("code",), WorkingGroup: ("name_en", "name_es")}


def _changed(obj: object, fields: tuple[str, ...]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


class _Changes:
    """What a flush changed that action lists or charts show, by how it reaches groups."""

    def __init__(self) -> None:
        self.groups: set[int] = set()
        self.owners: set[int] = set()  # renamed people: the groups of the items they own
        self.parties: set[int] = set()  # recoded parties: the groups of the items they answer for

    def note(self, obj: object, is_new: bool) -> None:
        if isinstance(obj, ActionItem):
            history = inspect(obj).attrs.working_group_id.history
            self.groups.update(g for g in chain([obj.working_group_id], history.deleted) if g)
        elif type(obj) in SHOWN_FIELDS and not is_new and _changed(obj, SHOWN_FIELDS[type(obj)]):
            kind = {WorkingGroup: self.groups, User: self.owners, Party: self.parties}
            kind[type(obj)].add(obj.id)

    def stale_groups(self, connection) -> set[int]:
        groups = set(self.groups)
        if self.owners:
            groups.update(
                connection.scalars(
                    select(ActionItem.working_group_id)
                    .join(action_owners, action_owners.c.action_item_id == ActionItem.id)
                    .where(action_owners.c.user_id.in_(self.owners))
                    .distinct()
                )
            )
        if self.parties:
            groups.update(
                connection.scalars(
                    select(ActionItem.working_group_id)
                    .where(ActionItem.responsible_party_id.in_(self.parties))
                    .distinct()
                )
            )
        return groups


@event.listens_for(Session, "after_flush")
def _raise_actions_versions(session: Session, _flush_context) -> None:
    changes = _Changes()
    new = set(session.new)
    for obj in chain(session.new, session.dirty, session.deleted):
        if obj in session.dirty and not session.is_modified(obj):
            continue
        changes.note(obj, obj in new)
    if not (changes.groups or changes.owners or changes.parties):
        return
    connection = session.connection()
    groups = changes.stale_groups(connection)
    if not groups:
        return
    table = WorkingGroup.__table__
    connection.execute(
        update(table)
        .where(table.c.id.in_(groups))
        .values(actions_version=table.c.actions_version + 1)
    )
    session.info[UNCOMMITTED_VERSION] = True
    for obj in session.identity_map.values():  # their loaded version is now an old one
        if isinstance(obj, WorkingGroup) and obj.id in groups:
            session.expire(obj, ["actions_version"])


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_raised(session: Session) -> None:
    session.info.pop(UNCOMMITTED_VERSION, None)

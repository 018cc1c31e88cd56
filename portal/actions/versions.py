"""The version of a working group's action items, and what raises it.

What the action list and the progress chart show of a group is the same for every reader
who reads the whole group, so it is rendered once per version and kept in the process
(`RENDERINGS`, portal/core/kept). `ACTIONS_VERSION` declares every change they show, which
raises `WorkingGroup.actions_version` in the same transaction: an item created, changed or
deleted (its status, dates, owners, text), the group renamed, a person owning items renamed,
a party answering for items recoded, a meeting of the group moved or retitled (the list's
meeting filter shows them).

Readers read the version before the data, so data kept under a version is never older
than that version.
"""

from sqlalchemy import Select, select

from portal.accounts.models import Party, User
from portal.actions.models import ActionItem, action_owners
from portal.core.kept import ProcessStore, Raises, declare, old_and_new
from portal.meetings.models import Meeting
from portal.mous.models import WorkingGroup

RENDERINGS = ProcessStore("actions")


def _groups_owned_by(people) -> Select:
    return (
        select(ActionItem.working_group_id)
        .join(action_owners, action_owners.c.action_item_id == ActionItem.id)
        .where(action_owners.c.user_id.in_({person.id for person in people}))
    )


def _groups_answered_for_by(parties) -> Select:
    return select(ActionItem.working_group_id).where(
        ActionItem.responsible_party_id.in_({party.id for party in parties})
    )


ACTIONS_VERSION = declare(
    WorkingGroup.actions_version,
    Raises(ActionItem, lambda items: WorkingGroup.id.in_(old_and_new(items, "working_group_id"))),
    Raises(
        WorkingGroup,
        lambda groups: WorkingGroup.id.in_({group.id for group in groups}),
        fields=("name_en", "name_es"),
    ),
    Raises(User, lambda people: WorkingGroup.id.in_(_groups_owned_by(people)), fields=("name",)),
    Raises(
        Party,
        lambda parties: WorkingGroup.id.in_(_groups_answered_for_by(parties)),
        fields=("code",),
    ),
    # The list's meeting filter offers the group's meetings that items came from, by start
    # and title (an item given or taken a meeting raises it as an item change).
    Raises(
        Meeting,
        lambda meetings: WorkingGroup.id.in_(old_and_new(meetings, "working_group_id")),
        fields=("starts_at", "title_en", "title_es", "working_group_id"),
    ),
)

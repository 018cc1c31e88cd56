"""Who may see, create and update action items, and change their status.

Members of the group and the coordinators of the MoU's parties create and update items;
owners (and those coordinators) change their status and post updates; observers read.
The group's readers see its items; so do owners from outside the group.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, exists, false, literal, select, true
from sqlalchemy.orm import aliased, joinedload, selectinload

from portal.accounts.models import Role, User
from portal.actions.models import ActionItem, action_owners
from portal.core.access import PARTY_WIDE_READERS, can_administer, is_delegation_user
from portal.core.readership import ObjectPage, Readers, Readership
from portal.core.search_match import scope_query
from portal.mous.access import (
    can_view_mou,
    can_view_working_group,
    group_loading,
    is_group_member,
    party_in_mou,
    visible_working_groups_clause,
)
from portal.mous.models import WorkingGroup

# Aliases for the subqueries of visible_actions_clause, built once (see mous.access).
_ACTION_GROUP = aliased(WorkingGroup, name="action_group")
_OWNED_GROUP = aliased(WorkingGroup, name="owned_action_group")
_ACTION_OWNER = action_owners.alias("visible_action_owner")
_REPORT_GROUP = aliased(WorkingGroup, name="report_action_group")
_REPORT_OWNER = action_owners.alias("report_action_owner")
# Who may be named owner of an item: people who work, not observers or externals.
ACTION_OWNER_ROLES = (Role.COORDINATOR, Role.MEMBER)


def is_action_owner(user: User, item: ActionItem) -> bool:
    return any(owner.id == user.id for owner in item.owners)


def can_view_action(user: User, item: ActionItem) -> bool:
    group = item.working_group
    if can_view_working_group(user, group):
        return True
    return (
        is_delegation_user(user) and can_view_mou(user, group.mou) and is_action_owner(user, item)
    )


def visible_actions_clause(user: User) -> ColumnElement[bool]:
    """A WHERE clause on ActionItem keeping the items the user may see.

    Uncorrelated IN subqueries (the readable groups; the items the user owns, and the groups
    of MoUs of their party): the database computes each once, not once per item. The owned
    items are the owner's rows alone: joined to the items in the subquery, the database read
    every item of the ten years to find a person's thousand.
    """
    if can_administer(user):
        return true()
    if not is_delegation_user(user):
        return false()
    group = _ACTION_GROUP
    readable_groups = select(group.id).where(visible_working_groups_clause(user, group))
    if user.role in PARTY_WIDE_READERS:
        # They read every group of their party's MoUs, which holds every item they may own
        # and see: the second branch adds nothing, and without the OR an index finds the rows.
        return ActionItem.working_group_id.in_(readable_groups)
    owner, owned_group = _ACTION_OWNER, _OWNED_GROUP
    owned_items = select(owner.c.action_item_id).where(owner.c.user_id == user.id)
    party_groups = select(owned_group.id).where(party_in_mou(owned_group.mou_id, user))
    owned = ActionItem.id.in_(owned_items) & ActionItem.working_group_id.in_(party_groups)
    return ActionItem.working_group_id.in_(readable_groups) | owned


def actions_search_scope(user: User) -> ColumnElement | None:
    """The search tokens (core.search_match.scope_query) of every item visible_actions_clause
    keeps for the user: those of the groups they read and their own (the items they own).
    None: no tokens to ask. An administrator reads every item, an external none (the clause
    says so); whoever reads every group of their party's MoUs reads a third of the items or
    more, and the index, asked for one of some seventy groups' tokens, took longer (60 to
    110 ms for a common word) than the items' own index and walk it would spare."""
    if can_administer(user) or not is_delegation_user(user) or user.role in PARTY_WIDE_READERS:
        return None
    group = _ACTION_GROUP
    readable_groups = select(group.id).where(visible_working_groups_clause(user, group))
    return scope_query(readable_groups, person=user.id)


def actions_in_party_mous_clause(user: User) -> ColumnElement[bool]:
    """visible_actions_clause for items the user owns or of groups they are members of (the
    caller keeps only those): the items of the groups of the user's party's MoUs, which hold
    every group they read; one IN on the item's group, without the general clause's OR."""
    if can_administer(user):
        return true()
    if not is_delegation_user(user):
        return false()
    group = _ACTION_GROUP
    return ActionItem.working_group_id.in_(select(group.id).where(party_in_mou(group.mou_id, user)))


def actions_of_mou_clause(user: User, mou_id: int) -> ColumnElement[bool]:
    """A WHERE clause on ActionItem keeping the items of one MoU the user may see: the rule
    of visible_actions_clause for aggregates over all of an MoU's items (its implementation
    report). The groups the user reads are an uncorrelated IN (computed once); whether the
    user owns an item is asked only of items of the other groups."""
    group = _REPORT_GROUP
    groups = select(group.id).where(group.mou_id == mou_id)
    if can_administer(user):
        return ActionItem.working_group_id.in_(groups)
    if not is_delegation_user(user):
        return false()
    readable = groups.where(visible_working_groups_clause(user, group))
    owner = _REPORT_OWNER
    owned = exists(
        select(owner.c.user_id).where(
            owner.c.action_item_id == ActionItem.id, owner.c.user_id == user.id
        )
    )
    return (
        ActionItem.working_group_id.in_(groups)
        & party_in_mou(literal(mou_id), user)
        & (ActionItem.working_group_id.in_(readable) | owned)
    )


def sees_every_action_of(user: User, working_group: WorkingGroup) -> bool:
    """Whoever reads the group reads all its items (so a group's counts need no per-row check)."""
    return can_view_working_group(user, working_group)


def can_work_on_actions(user: User, working_group: WorkingGroup) -> bool:
    """Create and update the group's items: its members and the MoU parties' coordinators."""
    if can_administer(user):
        return True
    if not can_view_mou(user, working_group.mou):
        return False
    if user.role == Role.COORDINATOR:
        return True
    return user.role == Role.MEMBER and is_group_member(user, working_group)


def may_add_translations(user: User) -> bool:
    """Whether the user is offered the "translation missing" filter at all."""
    return can_administer(user) or (is_delegation_user(user) and user.role in ACTION_OWNER_ROLES)


def translatable_actions_clause(user: User) -> ColumnElement[bool]:
    """SQL of can_work_on_actions on ActionItem: the items whose missing translation the user
    may add (the list's "translation missing" filter shows them only)."""
    if can_administer(user):
        return true()
    if not is_delegation_user(user) or user.role not in ACTION_OWNER_ROLES:
        return false()
    group = _ACTION_GROUP
    if user.role == Role.COORDINATOR:
        clause = party_in_mou(group.mou_id, user)
    else:
        clause = visible_working_groups_clause(user, group)
    return ActionItem.working_group_id.in_(select(group.id).where(clause))


def _coordinates_action(user: User, item: ActionItem) -> bool:
    group = item.working_group
    return can_administer(user) or (user.role == Role.COORDINATOR and can_view_mou(user, group.mou))


def can_change_action_status(user: User, item: ActionItem) -> bool:
    """The item's owners, and the coordinators of the MoU's parties."""
    if _coordinates_action(user, item):
        return True
    return (
        user.role in ACTION_OWNER_ROLES
        and can_view_mou(user, item.working_group.mou)
        and is_action_owner(user, item)
    )


def can_comment_on_action(user: User, item: ActionItem) -> bool:
    return can_change_action_status(user, item)


def can_own_action(person: User, working_group: WorkingGroup) -> bool:
    return (
        person.is_active
        and person.role in ACTION_OWNER_ROLES
        and can_view_mou(person, working_group.mou)
    )


# Mails ----------------------------------------------------------------------------------------


def _action_loading(readers: Readers) -> tuple:
    return (
        *group_loading(joinedload(ActionItem.working_group), readers),
        selectinload(ActionItem.owners.and_(User.id.in_(readers.ids))),
    )


ACTION_PAGE = ObjectPage(_l("Action item"), "actions.detail", "item_id")
MAIL_READERSHIP = {
    "action": Readership(ActionItem, _action_loading, can_view_action, page=ACTION_PAGE)
}

"""Who may see or change MoUs, their working groups and the groups' memberships.

Nothing of an MoU is visible to a person whose party is not one of its parties;
administrators manage every MoU. Coordinators and observers read everything of their
party's MoUs, members only the working groups they belong to. Every feature whose objects
live in an MoU builds its rules on these (party_in_mou, can_view_working_group, ...).
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, exists, false, select, true
from sqlalchemy.orm import aliased, joinedload, selectinload

from portal.accounts.models import Party, Role, User
from portal.core.access import PARTY_WIDE_READERS, can_administer, is_delegation_user, same_party
from portal.core.readership import ObjectPage, Readers, Readership
from portal.mous.models import Membership, Mou, WorkingGroup, mou_parties

# Aliases for the subqueries below, so they stay correlated to the outer query even when
# it joins the same tables. Built once: building them per call costs milliseconds.
_MOU_PARTIES = mou_parties.alias("visible_mou_parties")
_MEMBERSHIP = aliased(Membership, name="visible_membership")


# MoUs ----------------------------------------------------------------------


def visible_mous_clause(user: User) -> ColumnElement[bool]:
    """A WHERE clause on Mou that keeps only the MoUs the user may see."""
    if can_administer(user):
        return true()
    if not is_delegation_user(user):
        return false()
    return party_in_mou(Mou.id, user)


def mous_follow_role_and_party(user: User) -> tuple:
    """What decides the MoUs a user sees (visible_mous_clause): their role and party alone.
    Output showing those MoUs may be shared by everyone with the same two."""
    return (user.role, user.party_id)


def party_in_mou(mou_id_column, user: User) -> ColumnElement[bool]:
    """Whether the user's party is a party of the MoU whose id is in the column (a correlated
    EXISTS): the base of every feature's clause for what lives in an MoU."""
    if user.party_id is None:  # a viewer of no delegation (a parametric viewer's is bound)
        return false()
    parties = _MOU_PARTIES
    return exists(
        select(parties.c.mou_id).where(
            parties.c.mou_id == mou_id_column, parties.c.party_id == user.party_id
        )
    )


def mou_readers_clause(mou_id_column, user: User) -> ColumnElement[bool]:
    """can_view_mou in SQL, for the MoU whose id is in the column: administrators read every
    MoU, a delegation account its party's."""
    if can_administer(user):
        return true()
    if is_delegation_user(user):
        return party_in_mou(mou_id_column, user)
    return false()


def can_view_mou(user: User, mou: Mou) -> bool:
    if can_administer(user):
        return True
    return is_delegation_user(user) and any(same_party(p.id, user.party_id) for p in mou.parties)


def can_edit_mou(user: User) -> bool:
    return can_administer(user)


# Working groups --------------------------------------------------------------


def is_group_member(user: User, working_group: WorkingGroup) -> bool:
    return any(m.user_id == user.id for m in working_group.memberships)


def can_view_working_group(user: User, working_group: WorkingGroup) -> bool:
    if not can_view_mou(user, working_group.mou):
        return False
    if can_administer(user) or user.role in PARTY_WIDE_READERS:
        return True
    return is_group_member(user, working_group)


def visible_working_groups_clause(user: User, group=WorkingGroup) -> ColumnElement[bool]:
    """A WHERE clause on WorkingGroup (or an alias of it) keeping the groups the user may see."""
    if can_administer(user):
        return true()
    if not is_delegation_user(user):
        return false()
    in_party_mou = party_in_mou(group.mou_id, user)
    if user.role in PARTY_WIDE_READERS:
        return in_party_mou
    membership = _MEMBERSHIP
    is_member = exists(
        select(membership.id).where(
            membership.working_group_id == group.id, membership.user_id == user.id
        )
    )
    return in_party_mou & is_member


def can_edit_working_group(user: User) -> bool:
    return can_administer(user)


def can_manage_membership(user: User, working_group: WorkingGroup, person: User) -> bool:
    """Administrators manage anyone; a coordinator only their own party's people."""
    if not can_view_mou(person, working_group.mou) or not is_delegation_user(person):
        return False
    if can_administer(user):
        return True
    return (
        user.role == Role.COORDINATOR
        and same_party(user.party_id, person.party_id)
        and can_view_mou(user, working_group.mou)
    )


def manageable_parties(user: User, working_group: WorkingGroup) -> list[Party]:
    """The parties whose people the user may add to or remove from the group."""
    if can_administer(user):
        return list(working_group.mou.parties)
    if user.role == Role.COORDINATOR and can_view_mou(user, working_group.mou) and user.party:
        return [user.party]
    return []


def is_co_chair(user: User, working_group: WorkingGroup) -> bool:
    return any(m.user_id == user.id and m.is_co_chair for m in working_group.memberships)


# Mails ----------------------------------------------------------------------------------------


def group_loading(path, readers: Readers) -> tuple:
    """Loader options giving a group (reached by `path`) what its rules read for a batch of
    mail readers: its MoU's parties and those readers' memberships."""
    return (
        path.joinedload(WorkingGroup.mou).selectinload(Mou.parties),
        path.selectinload(WorkingGroup.memberships.and_(Membership.user_id.in_(readers.ids))),
    )


MAIL_READERSHIP = {
    "working_group": Readership(
        WorkingGroup,
        lambda readers: (
            joinedload(WorkingGroup.mou).selectinload(Mou.parties),
            selectinload(WorkingGroup.memberships.and_(Membership.user_id.in_(readers.ids))),
        ),
        can_view_working_group,
        page=ObjectPage(_l("Working group"), "mous.working_group", "group_id"),
    ),
}

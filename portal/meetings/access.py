"""Who may see a meeting, manage it, and edit, approve or reopen its minutes.

A meeting is seen by the readers of its working group, plus the people of the MoU's parties
invited to it. The MoU parties' coordinators (and administrators) schedule and manage
meetings; co-chairs of the group edit the minutes and, for their own party, approve them.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, exists, false, literal, select, true
from sqlalchemy.orm import aliased, joinedload, selectinload

from portal.accounts.models import Role, User
from portal.core.access import (
    DELEGATION_ROLES,
    PARTY_WIDE_READERS,
    can_administer,
    is_delegation_user,
)
from portal.core.readership import ObjectPage, Readers, Readership
from portal.meetings.models import Invitee, Meeting
from portal.mous.access import (
    can_view_mou,
    can_view_working_group,
    group_loading,
    is_co_chair,
    mou_readers_clause,
    party_in_mou,
    visible_working_groups_clause,
)
from portal.mous.models import Membership, WorkingGroup, mou_parties

# Aliases for the subqueries below, so they stay correlated to the outer query even when
# it joins the same tables. Built once: building them per call costs milliseconds.
_READABLE_GROUP = aliased(WorkingGroup, name="readable_group")
_INVITED_GROUP = aliased(WorkingGroup, name="invited_group")
_INVITEE = aliased(Invitee, name="visible_invitee")
_CO_CHAIR = aliased(Membership, name="co_chair_membership")
_REPORT_GROUP = aliased(WorkingGroup, name="report_readable_group")
_REPORT_INVITEE = aliased(Invitee, name="report_invitee")
_LISTED_GROUP = aliased(WorkingGroup, name="listed_group")
_LISTED_INVITEE = aliased(Invitee, name="listed_invitee")
_LISTED_PARTY_GROUP = aliased(WorkingGroup, name="listed_party_group")
_MOU_GROUP = aliased(WorkingGroup, name="mou_group")


def can_view_meeting(user: User, meeting: Meeting) -> bool:
    """The group's readers, plus people of the MoU's parties invited to this meeting."""
    group = meeting.working_group
    if can_view_working_group(user, group):
        return True
    return (
        is_delegation_user(user)
        and can_view_mou(user, group.mou)
        and any(i.user_id == user.id for i in meeting.invitees)
    )


def visible_meetings_clause(user: User) -> ColumnElement[bool]:
    """A WHERE clause on Meeting keeping the meetings the user may see."""
    if can_administer(user):
        return true()
    if not is_delegation_user(user):
        return false()
    group = _READABLE_GROUP
    readable_group = exists(
        select(group.id).where(
            group.id == Meeting.working_group_id, visible_working_groups_clause(user, group)
        )
    )
    invited_group, invitee = _INVITED_GROUP, _INVITEE
    invited = exists(
        select(invitee.id)
        .join(invited_group, invited_group.id == Meeting.working_group_id)
        .where(
            invitee.meeting_id == Meeting.id,
            invitee.user_id == user.id,
            party_in_mou(invited_group.mou_id, user),
        )
    )
    return readable_group | invited


def listed_meetings_clause(user: User) -> ColumnElement[bool]:
    """visible_meetings_clause for statements reading many meetings (search): uncorrelated
    INs, each computed once per statement instead of an EXISTS asked of every row. The
    groups the user reads; else the meetings they are invited to in a group of an MoU of
    their party. Whoever reads every group of their party's MoUs (coordinators, observers)
    is invited to none beyond those, so is asked nothing else."""
    if can_administer(user):
        return true()
    if not is_delegation_user(user):
        return false()
    group = _LISTED_GROUP
    readable = Meeting.working_group_id.in_(
        select(group.id).where(visible_working_groups_clause(user, group))
    )
    if user.role in PARTY_WIDE_READERS:
        return readable
    invitee, party_group = _LISTED_INVITEE, _LISTED_PARTY_GROUP
    invited = Meeting.id.in_(select(invitee.meeting_id).where(invitee.user_id == user.id))
    of_party = Meeting.working_group_id.in_(
        select(party_group.id).where(party_in_mou(party_group.mou_id, user))
    )
    return readable | (invited & of_party)


def invited_meetings_clause(user: User) -> ColumnElement[bool]:
    """visible_meetings_clause for meetings the user is invited to (the caller keeps only
    those): the meetings of the groups of the user's party's MoUs, which hold every group they
    read; one IN on the meeting's group, without the general clause's OR (asked per row)."""
    if can_administer(user):
        return true()
    if not is_delegation_user(user):
        return false()
    group = _READABLE_GROUP
    return Meeting.working_group_id.in_(select(group.id).where(party_in_mou(group.mou_id, user)))


def meetings_of_mou_clause(user: User, mou_id: int) -> ColumnElement[bool]:
    """A WHERE clause on Meeting keeping the meetings of one MoU the user may see: the rule
    of visible_meetings_clause for aggregates over all of an MoU's meetings (its
    implementation report). The groups the user reads are an uncorrelated IN (computed
    once); whether the user is invited is asked only of meetings of the other groups."""
    group = _REPORT_GROUP
    groups = select(group.id).where(group.mou_id == mou_id)
    if can_administer(user):
        return Meeting.working_group_id.in_(groups)
    if not is_delegation_user(user):
        return false()
    readable = groups.where(visible_working_groups_clause(user, group))
    invitee = _REPORT_INVITEE
    invited = exists(
        select(invitee.id).where(invitee.meeting_id == Meeting.id, invitee.user_id == user.id)
    )
    return (
        Meeting.working_group_id.in_(groups)
        & party_in_mou(literal(mou_id), user)
        & (Meeting.working_group_id.in_(readable) | invited)
    )


def visible_group_meetings_clause(user: User, group: WorkingGroup) -> ColumnElement[bool]:
    """A WHERE clause on Meeting keeping the meetings of `group` the user may see: every one
    for a reader of the group (visible_meetings_clause would say so of each row, at the cost
    of its subqueries on every row of the group's years), else those they are invited to."""
    if can_view_working_group(user, group):
        return true()
    return visible_meetings_clause(user)


def co_chair_clause(user: User) -> ColumnElement[bool]:
    """A column on Meeting: whether the user co-chairs the meeting's working group."""
    membership = _CO_CHAIR
    return exists(
        select(membership.id).where(
            membership.working_group_id == Meeting.working_group_id,
            membership.user_id == user.id,
            membership.is_co_chair,
        )
    )


def minutes_approver_clause(user: User) -> ColumnElement[bool]:
    """A WHERE clause on Meeting joined to its WorkingGroup: the meetings whose minutes the
    user approves for their party (approves_minutes): they co-chair the group, of an MoU of
    their party. Co-chairing is a membership, so the user reads these meetings
    (visible_meetings_clause) without the statement asking it again.

    Their membership of the meeting's group (one row at most) is read per meeting, not
    joined as co_chair_clause's EXISTS is: the planner, not knowing how many groups a reader
    co-chairs, would otherwise start from them (all their meetings) instead of from what
    waits; this way one plan serves every reader of a role and is not made anew each time."""
    if not (can_administer(user) or is_delegation_user(user)):
        return false()
    membership = _CO_CHAIR
    co_chairs = (
        select(membership.is_co_chair)
        .where(
            membership.working_group_id == Meeting.working_group_id,
            membership.user_id == user.id,
        )
        .scalar_subquery()
    )
    return (co_chairs == true()) & party_in_mou(WorkingGroup.mou_id, user)


def reads_meeting_only(user: User, *, co_chairs_its_group: bool) -> bool:
    """Neither manages the meeting nor edits or approves its minutes.

    Everybody reads the same stored page; only the others get buttons filled into it (to
    the management page, on the minutes), which loads the meeting for them.
    """
    return not (can_administer(user) or user.role == Role.COORDINATOR or co_chairs_its_group)


def can_manage_meetings(user: User, working_group: WorkingGroup) -> bool:
    """Schedule, change, cancel, invite, record attendance: the MoU parties' coordinators."""
    return manages_meetings(user, reads_mou=can_view_mou(user, working_group.mou))


def can_edit_minutes(user: User, meeting: Meeting) -> bool:
    group = meeting.working_group
    reads_mou = can_view_mou(user, group.mou)
    return edits_minutes(user, co_chair=is_co_chair(user, group), reads_mou=reads_mou)


def can_approve_minutes(user: User, meeting: Meeting) -> bool:
    """Only a co-chair approves, and only for their own party."""
    group = meeting.working_group
    return approves_minutes(
        co_chair=is_co_chair(user, group), reads_mou=can_view_mou(user, group.mou)
    )


# The same rules from what the reading page's one statement reads of the viewer and the
# meeting (reads_mou_clause, co_chair_clause): whether they read the group's MoU and co-chair
# the group. The predicates above give these their facts from loaded objects.


def manages_meetings(user: User, *, reads_mou: bool) -> bool:
    return can_administer(user) or (user.role == Role.COORDINATOR and reads_mou)


def approves_minutes(*, co_chair: bool, reads_mou: bool) -> bool:
    return co_chair and reads_mou


def edits_minutes(user: User, *, co_chair: bool, reads_mou: bool) -> bool:
    return manages_meetings(user, reads_mou=reads_mou) or approves_minutes(
        co_chair=co_chair, reads_mou=reads_mou
    )


def reads_mou_clause(user: User) -> ColumnElement[bool]:
    """A column on Meeting: can_view_mou of the meeting's MoU."""
    group = _MOU_GROUP
    return exists(
        select(group.id).where(
            group.id == Meeting.working_group_id, mou_readers_clause(group.mou_id, user)
        )
    )


def own_party_in_mou_clause(user: User) -> ColumnElement[bool]:
    """A column on Meeting: the user's party is one of the meeting's MoU's parties."""
    group = _MOU_GROUP
    return exists(
        select(group.id).where(
            group.id == Meeting.working_group_id, party_in_mou(group.mou_id, user)
        )
    )


def can_reopen_minutes(user: User, meeting: Meeting) -> bool:
    """A co-chair of the group, of either party: whoever approves may reopen."""
    return can_approve_minutes(user, meeting)


def can_be_invited(person: User, working_group: WorkingGroup) -> bool:
    return (
        person.is_active and is_delegation_user(person) and can_view_mou(person, working_group.mou)
    )


def invitable_people_clause(working_group: WorkingGroup) -> ColumnElement[bool]:
    """can_be_invited in SQL: a WHERE clause on User (the group's MoU parties loaded)."""
    parties = [party.id for party in working_group.mou.parties]
    return User.is_active.is_(True) & User.role.in_(DELEGATION_ROLES) & User.party_id.in_(parties)


def invitable_people_of_mou_clause(mou_id) -> ColumnElement[bool]:
    """invitable_people_clause with the MoU's parties read in SQL (`mou_id` a column or a
    parameter)."""
    parties = select(mou_parties.c.party_id).where(mou_parties.c.mou_id == mou_id)
    return User.is_active.is_(True) & User.role.in_(DELEGATION_ROLES) & User.party_id.in_(parties)


# Mails ----------------------------------------------------------------------------------------


def _meeting_loading(readers: Readers) -> tuple:
    return (
        *group_loading(joinedload(Meeting.working_group), readers),
        selectinload(Meeting.invitees.and_(Invitee.user_id.in_(readers.ids))),
    )


def _still_invited_party(person: User, meeting: Meeting) -> bool:
    """A cancellation to someone taken off the invitee list: still of one of the MoU's parties."""
    return can_view_mou(person, meeting.working_group.mou)


MEETING_PAGE = ObjectPage(_l("Meeting"), "meetings.detail", "meeting_id")
MAIL_READERSHIP = {
    "meeting": Readership(Meeting, _meeting_loading, can_view_meeting, page=MEETING_PAGE),
    "meeting_former_invitee": Readership(
        Meeting, _meeting_loading, _still_invited_party, page=MEETING_PAGE
    ),
}

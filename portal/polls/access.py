"""Who may see a poll, answer it, and propose, pick or cancel.

A poll is seen by the readers of its working group (as its meetings are). Those who may
schedule the group's meetings (meetings/access.py: the MoU parties' coordinators and
administrators) propose times, pick one and cancel; the people asked answer, and nobody else.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from portal.accounts.models import Role, User
from portal.core.access import is_delegation_user
from portal.core.readership import ObjectPage, Readers, Readership
from portal.meetings.access import can_manage_meetings, manages_meetings
from portal.mous.access import (
    can_view_mou,
    can_view_working_group,
    group_loading,
    mou_readers_clause,
    visible_working_groups_clause,
)
from portal.mous.models import WorkingGroup
from portal.polls.models import Poll, PollParticipant

_READABLE_GROUP = aliased(WorkingGroup, name="poll_readable_group")
_MOU_GROUP = aliased(WorkingGroup, name="poll_mou_group")


def can_view_poll(user: User, poll: Poll) -> bool:
    return can_view_working_group(user, poll.working_group)


def visible_polls_clause(user: User) -> ColumnElement[bool]:
    """A WHERE clause on Poll keeping the polls the user may see."""
    group = _READABLE_GROUP
    return exists(
        select(group.id).where(
            group.id == Poll.working_group_id, visible_working_groups_clause(user, group)
        )
    )


def sees_every_poll_of(user: User, group: WorkingGroup) -> bool:
    """visible_polls_clause keeps every poll of a group its reader reads, and none of another:
    a list of one group's polls asks this instead of the clause."""
    return can_view_working_group(user, group)


def reads_mou_clause(user: User) -> ColumnElement[bool]:
    """A column on Poll: can_view_mou of its group's MoU (for the rules below)."""
    group = _MOU_GROUP
    return exists(
        select(group.id).where(
            group.id == Poll.working_group_id, mou_readers_clause(group.mou_id, user)
        )
    )


def can_manage_polls(user: User, group: WorkingGroup) -> bool:
    """Propose, pick and cancel: whoever may schedule the group's meetings."""
    return can_manage_meetings(user, group)


def manages_polls(user: User, *, reads_mou: bool) -> bool:
    """can_manage_polls when whether the user reads the group's MoU is known."""
    return manages_meetings(user, reads_mou=reads_mou)


def participant_of(user: User, poll: Poll) -> PollParticipant | None:
    return next((p for p in poll.participants if p.user_id == user.id), None)


def can_answer_poll(user: User, poll: Poll) -> bool:
    """The people asked, while they are still of one of the MoU's parties."""
    return answers_poll(
        user,
        asked=participant_of(user, poll) is not None,
        reads_mou=can_view_mou(user, poll.working_group.mou),
    )


def answers_poll(user: User, *, asked: bool, reads_mou: bool) -> bool:
    """can_answer_poll when whether the user was asked and reads the MoU is known."""
    return (
        asked
        and is_delegation_user(user)
        and user.role != Role.OBSERVER
        and user.is_active
        and reads_mou
    )


def may_answer_by_link(person: User, poll: Poll) -> bool:
    """What a signed link lets its holder do: answer as the person it names, if still allowed."""
    return can_answer_poll(person, poll)


# Mails ----------------------------------------------------------------------------------------


def _poll_loading(readers: Readers) -> tuple:
    return (
        *group_loading(joinedload(Poll.working_group), readers),
        selectinload(Poll.participants.and_(PollParticipant.user_id.in_(readers.ids))),
    )


def _reads_poll_mail(person: User, poll: Poll) -> bool:
    """The people asked (members of the group) and the group's readers."""
    return can_view_poll(person, poll) or can_answer_poll(person, poll)


POLL_PAGE = ObjectPage(_l("Meeting time poll"), "polls.detail", "poll_id")
MAIL_READERSHIP = {
    "poll": Readership(Poll, _poll_loading, _reads_poll_mail, page=POLL_PAGE),
}

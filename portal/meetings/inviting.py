"""Inviting a group's members to new meetings: hundreds of people, twenty meetings of a series,
in a few statements and without an Invitee object each."""

from dataclasses import dataclass

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Integer,
    Row,
    any_,
    bindparam,
    insert,
    literal,
    select,
    true,
)
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.core import kept
from portal.meetings import access
from portal.meetings.models import Invitee, Meeting
from portal.mous.models import Membership, WorkingGroup


def invitable_people(session: Session, group: WorkingGroup) -> list[Row]:
    """The group's members who may be invited (access.can_be_invited as its SQL clause), as
    rows of what their mails read (id, email, name, language, timezone): one statement, and
    no account objects for hundreds of members."""
    return session.execute(
        select(User.id, User.email, User.name, User.language, User.timezone)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.working_group_id == group.id, access.invitable_people_clause(group))
        .order_by(Membership.id)
    ).all()


@dataclass(frozen=True)
class Invitation:
    """A new invitation as its mails read it: the row's ids and the person invited."""

    id: int
    meeting_id: int
    user_id: int
    user: object  # a User, or a row of the columns mails read


def invite(session: Session, meetings: list[Meeting], people: list) -> list[Invitation]:
    """Invite the people to these (flushed) meetings in two statements whatever their number
    (a group may have hundreds, a series twenty meetings); return the first meeting's new
    invitations, in the people's order (its mails name them). No Invitee objects are built:
    each meeting's `invitees` is read from the database if asked for."""
    for meeting in meetings:
        session.expire(meeting, ["invitees"])
    if not meetings or not people:
        return []
    first, others = meetings[0], meetings[1:]
    ids = [person.id for person in people]
    chosen = among(session, User.id, ids)
    rows = session.execute(
        insert(Invitee)
        .from_select(["meeting_id", "user_id"], select(literal(first.id), User.id).where(chosen))
        .returning(Invitee.id, Invitee.user_id)
    ).all()
    invitee_ids = dict((user_id, invitee_id) for invitee_id, user_id in rows)
    invited = [Invitation(invitee_ids[p.id], first.id, p.id, p) for p in people]
    if others:
        pairs = (
            select(Meeting.id, User.id)
            .join(User, true())
            .where(among(session, Meeting.id, [m.id for m in others]), chosen)
        )
        session.execute(insert(Invitee).from_select(["meeting_id", "user_id"], pairs))
    # Past the listener: the versions these rows reach (one stand-in row per meeting says as
    # much as its 500 rows: the versions depend on the meeting only).
    kept.bulk_written(session, [Invitee(meeting_id=m.id, user_id=ids[0]) for m in meetings])
    return invited


def among(session: Session, column, values: list[int]) -> ColumnElement[bool]:
    """`column IN values`; on PostgreSQL as one array parameter (hundreds of parameters in
    an IN list are a long statement the driver parses placeholder by placeholder)."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, values, type_=ARRAY(Integer)))
    return column.in_(values)

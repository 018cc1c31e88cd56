"""Inviting a group's members to new meetings: hundreds of people, twenty meetings of a series,
in a few statements and without an Invitee object each."""

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Integer,
    Row,
    any_,
    bindparam,
    insert,
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


def invite(session: Session, meetings: list[Meeting], people: list) -> None:
    """Invite the people to these (flushed) meetings in one statement whatever their number
    (a group may have hundreds, a series twenty meetings). No Invitee objects are built: each
    meeting's `invitees` is read from the database if asked for, and the invitation mails
    read the rows (pending.py)."""
    for meeting in meetings:
        session.expire(meeting, ["invitees"])
    if not meetings or not people:
        return
    ids = [person.id for person in people]
    pairs = (
        select(Meeting.id, User.id)
        .join(User, true())
        .where(among(session, Meeting.id, [m.id for m in meetings]), among(session, User.id, ids))
        .order_by(Meeting.id, User.id)
    )
    session.execute(insert(Invitee).from_select(["meeting_id", "user_id"], pairs))
    # Past the listener: the versions these rows reach (one stand-in row per meeting says as
    # much as its 500 rows: the versions depend on the meeting only).
    kept.bulk_written(session, [Invitee(meeting_id=m.id, user_id=ids[0]) for m in meetings])


def among(session: Session, column, values: list[int]) -> ColumnElement[bool]:
    """`column IN values`; on PostgreSQL as one array parameter (hundreds of parameters in
    an IN list are a long statement the driver parses placeholder by placeholder)."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, values, type_=ARRAY(Integer)))
    return column.in_(values)

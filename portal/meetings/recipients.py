"""Who a meeting's or a series' mails go to: its invitees, read in one statement whatever
their number (a series of 20 meetings of 500 people is 10,000 invitations)."""

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.meetings.models import Invitee, Meeting, MeetingSeries


def invited_people(session: Session, meeting: Meeting) -> list[tuple[User, Invitee]]:
    """The meeting's invitees with their accounts."""
    accounts = load_accounts(session, meeting.invitees)
    return [(accounts[invitee.user_id], invitee) for invitee in meeting.invitees]


def load_accounts(session: Session, invitees: list[Invitee]) -> dict[int, User]:
    """One query for the invitees' accounts, by id. Use what it returns (or hold it while
    reading `invitee.user`): the identity map keeps only weak references, so accounts read
    and dropped are read again one by one."""
    ids = {invitee.user_id for invitee in invitees}
    return {user.id: user for user in session.scalars(select(User).where(User.id.in_(ids)))}


def series_people(session: Session, series: MeetingSeries) -> list[User]:
    """Everyone invited to any occurrence, once, in order of first invitation, as accounts: one
    statement (each occurrence's invitations: 10,000 objects for 20 meetings of 500 people)."""
    first = _first_invitations(series.meetings)
    if first is None:
        return []
    return list(
        session.scalars(select(User).join(first, first.c.user_id == User.id).order_by(first.c.id))
    )


def people_invited_to(session: Session, meetings: list[Meeting]) -> list[Row]:
    """series_people() for some (flushed) occurrences, as rows of what their mails read (id,
    email, name, language, timezone), not accounts."""
    first = _first_invitations(meetings)
    if first is None:
        return []
    return session.execute(
        select(User.id, User.email, User.name, User.language, User.timezone)
        .join(first, first.c.user_id == User.id)
        .order_by(first.c.id)
    ).all()


def _first_invitations(meetings: list[Meeting]):
    """Each person invited to these meetings with their first invitation's id (None: none)."""
    ids = [meeting.id for meeting in meetings]
    if not ids:
        return None
    return (
        select(Invitee.user_id, func.min(Invitee.id).label("id"))
        .where(Invitee.meeting_id.in_(ids))
        .group_by(Invitee.user_id)
        .subquery()
    )

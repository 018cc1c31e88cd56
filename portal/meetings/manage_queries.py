"""The management page's reads of people: who may still be invited (the picker) and one page
of the invitees with their replies and attendance."""

from functools import cache

from sqlalchemy import bindparam, exists, func, select
from sqlalchemy.orm import Session

from portal.accounts.models import Party, User
from portal.meetings import access
from portal.meetings.models import Invitee, Meeting
from portal.web.pagination import counted_page_statements, read_counted_page


def invitation_choices(
    session: Session,
    meeting: Meeting,
    *,
    search: str = "",
    limit: int | None = None,
    only: int | None = None,
) -> tuple[list[tuple[int, str]], bool]:
    """Who may be invited to the meeting and is not yet, by name: (id, "Name (CODE)"), as
    plain rows in one statement, and whether more match beyond `limit`. `search`: only those
    whose name holds its words; `only`: that one person, if they may be invited."""
    invited = exists().where(Invitee.meeting_id == meeting.id, Invitee.user_id == User.id)
    statement = (
        select(User.id, User.name, Party.code)
        .join(Party, Party.id == User.party_id)
        .where(access.invitable_people_clause(meeting.working_group), ~invited)
        .where(*(User.name.icontains(word, autoescape=True) for word in search.split()))
        .order_by(User.name, User.id)
    )
    if only is not None:
        statement = statement.where(User.id == only)
    if limit is not None:
        statement = statement.limit(limit + 1)
    rows = session.execute(statement).all()
    more = limit is not None and len(rows) > limit
    shown = rows[:limit] if limit is not None else rows
    return [(id_, f"{name} ({code})") for id_, name, code in shown], more


def invitee_page(session: Session, meeting_id: int, *, page: int, per_page: int | None = None):
    """One page of the meeting's invitees for its management page, by delegation then name,
    as rows (INVITEE_COLUMNS) with their total, in one statement."""
    parameters = {"meeting_id": meeting_id}
    return read_counted_page(
        session, _invitee_page_statements(), parameters, page=page, per_page=per_page
    )


@cache
def _invitee_page_statements() -> tuple:
    """Built once: building costs more than running it."""
    query = (
        select(
            Invitee.id,
            Invitee.reply,
            Invitee.comment,
            Invitee.attendance,
            User.name,
            Party.code.label("party_code"),
            Party.name_en.label("party_name_en"),
            Party.name_es.label("party_name_es"),
        )
        .join(User, User.id == Invitee.user_id)
        .outerjoin(Party, Party.id == User.party_id)
        .where(Invitee.meeting_id == bindparam("meeting_id"))
        .order_by(Party.code, func.lower(User.name), Invitee.id)
    )
    return counted_page_statements(query)

"""What other pages show of meetings: the dashboard's preview of the reader's next meetings
and its "Needs your attention" lines (minutes to approve, meetings to answer). Reads only,
each one statement built once per role (core.access.ParametricViewer) and run with the
reader's id, party and the time: building one costs more than running it."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import Session

from portal.accounts.models import Role, User
from portal.core import access as core_access
from portal.core.bilingual import Name
from portal.core.db import utcnow, written
from portal.meetings import access
from portal.meetings.models import (
    MAX_DURATION,
    Invitee,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesApproval,
    MinutesState,
    Reply,
)
from portal.mous.models import WorkingGroup
from portal.web.attention import NOTHING, Waiting, read_waiting, waiting_statement
from portal.web.pagination import Preview, preview_limits, preview_statement, previewed

# "N meetings wait for your reply" counts up to this many, then says "more than".
AWAITING_REPLY_LIMIT = 99


@dataclass(frozen=True)
class NextMeeting:
    """What the dashboard shows of one of the reader's next meetings (read as a row)."""

    id: int
    title_en: str
    title_es: str
    starts_at: datetime
    working_group: Name


def next_meetings(session: Session, reader: User) -> Preview:
    """The dashboard's: meetings the reader is invited to and has not declined, soonest first."""
    first = previewed(session, _next_meetings(reader.role, preview_limits()), _reader_now(reader))
    items = [NextMeeting(*row[:4], working_group=Name(*row[4:])) for row in first.items]
    return Preview(items=items, total=first.total, capped=first.capped)


_NOW = bindparam("now", type_=Meeting.starts_at.type)
_EARLIEST_START = bindparam("earliest_start", type_=Meeting.starts_at.type)
# not_over with its arithmetic done in Python (SQLite has none on instants).
_NOT_OVER = (Meeting.ends_at >= _NOW) & (Meeting.starts_at > _EARLIEST_START)


def _reader_now(reader: User) -> dict:
    now = utcnow()
    return {
        **core_access.viewer_parameters(reader),
        "now": now,
        "earliest_start": now - MAX_DURATION,
    }


@cache
def _next_meetings(role: Role, limits: tuple):
    """Built once per role (as the dashboard's other statements): building one costs more
    than running it."""
    reader = core_access.ParametricViewer(role)
    invited = exists().where(
        Invitee.meeting_id == Meeting.id,
        Invitee.user_id == reader.id,
        Invitee.reply != Reply.DECLINED,
    )
    query = (
        select(
            Meeting.id,
            Meeting.title_en,
            Meeting.title_es,
            Meeting.starts_at,
            WorkingGroup.name_en,
            WorkingGroup.name_es,
        )
        .join(WorkingGroup, WorkingGroup.id == Meeting.working_group_id)
        .where(
            _NOT_OVER,
            Meeting.status != MeetingStatus.CANCELLED,
            invited,
            access.invited_meetings_clause(reader),
        )
    )
    return preview_statement(query, (Meeting.starts_at, Meeting.id))


# What waits for the reader (the dashboard's "Needs your attention") ---------------------------


def minutes_awaiting_approval(session: Session, reader: User) -> Waiting:
    """Circulated minutes of the groups the reader co-chairs that their party has not approved
    in their current revision; the first is the oldest meeting's."""
    if reader.party_id is None:
        return NOTHING
    statement = _minutes_awaiting_approval(reader.role)
    return read_waiting(session, statement, core_access.viewer_parameters(reader))


@cache
def _minutes_awaiting_approval(role: Role):
    reader = core_access.ParametricViewer(role)
    approved = exists().where(
        MinutesApproval.minutes_id == Minutes.id,
        MinutesApproval.party_id == reader.party_id,
        MinutesApproval.withdrawn_at.is_(None),
        MinutesApproval.revision_number == Minutes.revision_number,
    )
    statement = (
        select(Meeting.id)
        .join(Minutes, Minutes.meeting_id == Meeting.id)
        .join(WorkingGroup, WorkingGroup.id == Meeting.working_group_id)
        .where(
            Minutes.state == written(MinutesState.CIRCULATED),
            ~approved,
            access.minutes_approver_clause(reader),
        )
        .order_by(Meeting.starts_at, Meeting.id)
    )
    return waiting_statement(statement)


def meetings_awaiting_reply(session: Session, reader: User) -> Waiting:
    """Meetings not yet over nor cancelled the reader is invited to and has not answered, or
    must answer again since they were moved; the first is the soonest."""
    limit = AWAITING_REPLY_LIMIT
    statement = _meetings_awaiting_reply(reader.role, limit)
    return read_waiting(session, statement, _reader_now(reader), limit=limit)


@cache
def _meetings_awaiting_reply(role: Role, limit: int):
    reader = core_access.ParametricViewer(role)
    statement = (
        select(Meeting.id)
        .join(Invitee, Invitee.meeting_id == Meeting.id)
        .where(
            Invitee.user_id == reader.id,
            (Invitee.reply == written(Reply.NEEDS_ACTION)) | Invitee.reconfirm,
            _NOT_OVER,
            Meeting.status != MeetingStatus.CANCELLED,
            access.invited_meetings_clause(reader),
        )
        .order_by(Meeting.starts_at, Meeting.id)
    )
    return waiting_statement(statement, limit=limit)

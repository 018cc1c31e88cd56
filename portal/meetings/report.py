"""The meetings' section of an MoU's implementation report: meetings held, attendance per
party, minutes and how long their approval took. Two aggregate statements, whatever the
number of meetings; only the meetings the reader may see (access.meetings_of_mou_clause)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.core.db import utcnow
from portal.meetings.access import meetings_of_mou_clause
from portal.meetings.models import (
    Attendance,
    Invitee,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesApproval,
    MinutesState,
)
from portal.mous.models import Mou
from portal.web.sources import ReportPeriod, ReportRow, ReportSection, ReportTable, party_rows

SECONDS_A_DAY = 86400.0


def days_between(session: Session, later, earlier):
    """`later - earlier` in days, as a number the database computes."""
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", later - earlier) / SECONDS_A_DAY
    return func.julianday(later) - func.julianday(earlier)


def _scope(reader: User, mou: Mou, period: ReportPeriod) -> list:
    start, end = period.bounds()
    return [
        meetings_of_mou_clause(reader, mou.id),
        Meeting.starts_at >= start,
        Meeting.starts_at < end,
    ]


def _held(now):
    return (Meeting.status == MeetingStatus.SCHEDULED) & (Meeting.ends_at <= now)


ATTENDANCE = (Attendance.PRESENT, Attendance.PARTIAL, Attendance.ABSENT, Attendance.UNKNOWN)


def _attendance_table(session: Session, mou: Mou, scope: list, now) -> ReportTable:
    counted = {
        party_id: tuple(values)
        for party_id, *values in session.execute(
            select(
                User.party_id,
                func.count(Invitee.id),
                *(func.count().filter(Invitee.attendance == state) for state in ATTENDANCE),
            )
            .select_from(Invitee)
            .join(Meeting, Meeting.id == Invitee.meeting_id)
            .join(User, User.id == Invitee.user_id)
            .where(*scope, _held(now))
            .group_by(User.party_id)
        )
    }
    columns = (
        ("invited", _("Invited")),
        ("present", _("Present")),
        ("partial", _("Partial")),
        ("absent", _("Absent")),
        ("not_recorded", _("Not recorded")),
    )
    return ReportTable(
        "attendance",
        _("Attendance at the meetings held, per party"),
        _("Party"),
        columns,
        party_rows(mou.parties, counted, len(columns)),
        chart=("present", "partial", "absent"),
        chart_title=_("Attendance per party"),
    )


def _meetings_and_minutes(session: Session, scope: list, now) -> list[ReportTable]:
    """The meetings, the minutes of those held and how long their approval took: one
    statement over the meetings, their minutes and each one's last approval."""
    approved_at = (
        select(
            MinutesApproval.minutes_id.label("minutes_id"),
            func.max(MinutesApproval.approved_at).label("at"),
        )
        .where(MinutesApproval.withdrawn_at.is_(None))
        .group_by(MinutesApproval.minutes_id)
        .subquery()
    )
    days = days_between(session, approved_at.c.at, Meeting.ends_at)
    held = _held(now)
    approved = held & (Minutes.state == MinutesState.APPROVED)
    (
        held_count, upcoming, cancelled, draft, circulated, approved_count, average, longest
    ) = session.execute(
        select(
            func.count().filter(held),
            func.count().filter(Meeting.status == MeetingStatus.SCHEDULED, Meeting.ends_at > now),
            func.count().filter(Meeting.status == MeetingStatus.CANCELLED),
            func.count().filter(held, Minutes.state == MinutesState.DRAFT),
            func.count().filter(held, Minutes.state == MinutesState.CIRCULATED),
            func.count().filter(approved),
            func.avg(days).filter(approved),
            func.max(days).filter(approved),
        )
        .select_from(Meeting)
        .outerjoin(Minutes, Minutes.meeting_id == Meeting.id)
        .outerjoin(approved_at, approved_at.c.minutes_id == Minutes.id)
        .where(*scope)
    ).one()  # fmt: skip
    meetings = ReportTable(
        "meetings",
        _("Meetings"),
        _("Meetings"),
        (("meetings", _("Number")),),
        (
            ReportRow("held", _("Held"), (held_count,)),
            ReportRow("upcoming", _("Scheduled, not yet held"), (upcoming,)),
            ReportRow("cancelled", _("Cancelled"), (cancelled,)),
        ),
    )
    without = held_count - draft - circulated - approved_count
    states = ReportTable(
        "minutes",
        _("Minutes of the meetings held"),
        _("Minutes"),
        (("meetings", _("Meetings")),),
        (
            ReportRow("approved", _("Approved"), (approved_count,)),
            ReportRow("circulated", _("Circulated for approval"), (circulated,)),
            ReportRow("draft", _("Draft"), (draft,)),
            ReportRow("none", _("No minutes yet"), (without,)),
        ),
    )
    approval = ReportTable(
        "approval_time",
        _("How long the approval of the minutes took"),
        _("Days from the end of the meeting to the last party's approval"),
        (("days", _("Days")),),
        (
            ReportRow("average", _("Average"), (_rounded(average),)),
            ReportRow("longest", _("Longest"), (_rounded(longest),)),
        ),
    )
    return [meetings, states, approval]


def _rounded(days) -> float | None:
    return None if days is None else round(float(days), 1)


def report_tables(session: Session, reader: User, mou: Mou, period: ReportPeriod) -> list:
    now = utcnow()
    scope = _scope(reader, mou, period)
    meetings, *minutes = _meetings_and_minutes(session, scope, now)
    return [meetings, _attendance_table(session, mou, scope, now), *minutes]


SECTION = ReportSection("meetings", _l("Meetings and minutes"), report_tables, order=10)

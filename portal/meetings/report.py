"""The meetings' section of an MoU's implementation report: meetings held, attendance per
party, minutes and how long their approval took. Two aggregate statements, whatever the
number of meetings; only the meetings the reader may see (access.meetings_of_mou_clause).

The kept report's version (`Mou.report_version`) is raised by every change of a meeting, its
invitees, minutes and approvals (`REPORT_VERSION`); a meeting that ends becomes held with no
write, so the section declares when the next one ends (`next_end`)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, aliased

from portal.accounts.models import User
from portal.core.db import utcnow, written, written_limit
from portal.core.kept import Raises, declare, old_and_new
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
from portal.mous.models import Mou, WorkingGroup
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


def _held(now, meeting=Meeting):
    return (meeting.status == MeetingStatus.SCHEDULED) & (meeting.ends_at <= now)


ATTENDANCE = (Attendance.PRESENT, Attendance.PARTIAL, Attendance.ABSENT, Attendance.UNKNOWN)


def _attendance_table(session: Session, mou: Mou, scope: list, now) -> ReportTable:
    """Counted per invited person first, then per party: the few people, not each of the
    invitations (12,000 for an MoU of 950 meetings), are joined to their party."""
    per_person = (
        select(
            Invitee.user_id.label("user_id"),
            func.count().label("invited"),
            *(
                func.count().filter(Invitee.attendance == state).label(state.value)
                for state in ATTENDANCE
            ),
        )
        .select_from(Meeting)
        .join(Invitee, Invitee.meeting_id == Meeting.id)
        .where(*scope, _held(now))
        .group_by(Invitee.user_id)
        .subquery("per_person")
    )
    counted = {
        party_id: tuple(int(value) for value in values)
        for party_id, *values in session.execute(
            select(
                User.party_id,
                func.sum(per_person.c.invited),
                *(func.sum(per_person.c[state.value]) for state in ATTENDANCE),
            )
            .join(User, User.id == per_person.c.user_id)
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
    statement, over one row per meeting in scope with its minutes' state and their last
    approval (read through the approvals' index on their minutes, never all approvals)."""
    per_meeting = (
        select(
            Meeting.status,
            Meeting.ends_at,
            Minutes.state,
            func.max(MinutesApproval.approved_at).label("approved_at"),
        )
        .select_from(Meeting)
        .outerjoin(Minutes, Minutes.meeting_id == Meeting.id)
        .outerjoin(
            MinutesApproval,
            (MinutesApproval.minutes_id == Minutes.id) & MinutesApproval.withdrawn_at.is_(None),
        )
        .where(*scope)
        .group_by(Meeting.id, Minutes.id)
        .subquery("per_meeting")
    )
    meeting = per_meeting.c
    days = days_between(session, meeting.approved_at, meeting.ends_at)
    held = _held(now, meeting)
    approved = held & (meeting.state == MinutesState.APPROVED)
    (
        held_count, upcoming, cancelled, draft, circulated, approved_count, average, longest
    ) = session.execute(
        select(
            func.count().filter(held),
            func.count().filter(meeting.status == MeetingStatus.SCHEDULED, meeting.ends_at > now),
            func.count().filter(meeting.status == MeetingStatus.CANCELLED),
            func.count().filter(held, meeting.state == MinutesState.DRAFT),
            func.count().filter(held, meeting.state == MinutesState.CIRCULATED),
            func.count().filter(approved),
            func.avg(days).filter(approved),
            func.max(days).filter(approved),
        )
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


def _next_end():
    """When the next scheduled meeting of the MoU ends (it is held from then on): per group,
    the first end after `now` in its index (working group, end), the least of them. Every
    meeting counts, whoever reads and whatever the period (a meeting after it too, so the
    instant is read with the MoU, before the period is known): an earlier answer only
    computes the report again.

    The report page's statement carries it: its status and LIMIT are written and the instant
    is read through a subquery, so that no plan knows the instant and the driver's prepared
    statement keeps its generic plan (else PostgreSQL planned each execution anew, planning
    costing more than running it)."""
    group = aliased(WorkingGroup)
    now = select(bindparam("now", type_=Meeting.ends_at.type)).scalar_subquery()
    first_end = (
        select(Meeting.ends_at)
        .where(
            Meeting.working_group_id == group.id,
            Meeting.ends_at > now,
            Meeting.status == written(MeetingStatus.SCHEDULED),
        )
        .order_by(Meeting.ends_at)
        .limit(written_limit(1))
        .correlate(group)
        .scalar_subquery()
    )
    return select(func.min(first_end)).where(group.mou_id == bindparam("mou_id")).scalar_subquery()


SECTION = ReportSection(
    "meetings", _l("Meetings and minutes"), report_tables, order=10, next_change=_next_end()
)


# What raises the kept report's version -------------------------------------------------------


def _mous_of_groups(groups: set[int]):
    return Mou.id.in_(select(WorkingGroup.mou_id).where(WorkingGroup.id.in_(groups)))


def _mous_of_meetings(meeting_ids: set[int]):
    return Mou.id.in_(
        select(WorkingGroup.mou_id)
        .join(Meeting, Meeting.working_group_id == WorkingGroup.id)
        .where(Meeting.id.in_(meeting_ids))
    )


REPORT_VERSION = declare(
    Mou.report_version,
    Raises(Meeting, lambda meetings: _mous_of_groups(old_and_new(meetings, "working_group_id"))),
    Raises((Invitee, Minutes), lambda rows: _mous_of_meetings({row.meeting_id for row in rows})),
    Raises(
        MinutesApproval,
        lambda approvals: _mous_of_meetings(
            select(Minutes.meeting_id).where(
                Minutes.id.in_({approval.minutes_id for approval in approvals})
            )
        ),
    ),
)

"""Reading commitments: an MoU's list, its page's panel, linked work, the implementation
report's lines, and the coordinators' overview of a party's MoUs.

Every count is made in SQL through the access clauses (no loop over rows in Python); each
function answers in a constant number of statements."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from portal.accounts.models import Party, User
from portal.actions.access import visible_actions_clause
from portal.actions.models import ACTIVE_STATUSES, ActionItem
from portal.commitments.access import (
    LINK_KINDS,
    LinkKind,
    can_view_commitments,
    visible_commitments_clause,
)
from portal.commitments.models import OPEN_STATUSES, Commitment, CommitmentStatus
from portal.core.errors import Denied
from portal.meetings.access import visible_meetings_clause
from portal.meetings.models import Meeting, MeetingStatus
from portal.mous.access import visible_mous_clause
from portal.mous.models import LineOfCooperation, Mou, WorkingGroup, mou_parties
from portal.trainings.access import visible_trainings_clause
from portal.trainings.models import Training, TrainingStatus
from portal.web.pagination import Page, paginate

STATUSES = tuple(CommitmentStatus)
# How many of the MoU's pieces of work of a kind the link form offers, newest first.
LINK_CHOICES = 200


def _counts(rows) -> dict[CommitmentStatus, int]:
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({status: count for status, count in rows})
    return counts


# An MoU's commitments -----------------------------------------------------------------------


def list_commitments(
    session: Session,
    reader: User,
    mou: Mou,
    *,
    line_id: int | None,
    status: CommitmentStatus | None,
    page: int,
) -> Page:
    """The MoU's commitments, by line (in the MoU's order), then target date."""
    query = (
        select(Commitment)
        .join(LineOfCooperation, LineOfCooperation.id == Commitment.line_id)
        .where(Commitment.mou_id == mou.id, visible_commitments_clause(reader))
        .options(selectinload(Commitment.parties))
        .order_by(LineOfCooperation.position, Commitment.target_on, Commitment.id)
    )
    if line_id:
        query = query.where(Commitment.line_id == line_id)
    if status:
        query = query.where(Commitment.status == status)
    return paginate(session, query, page=page)


def _line_counts(session: Session, where) -> dict[int, dict[CommitmentStatus, int]]:
    rows = session.execute(
        select(Commitment.line_id, Commitment.status, func.count())
        .where(where)
        .group_by(Commitment.line_id, Commitment.status)
    ).all()
    per_line = defaultdict(list)
    for line_id, status, count in rows:
        per_line[line_id].append((status, count))
    return {line_id: _counts(pairs) for line_id, pairs in per_line.items()}


# Linked work --------------------------------------------------------------------------------


def _newest_first(kind: LinkKind) -> tuple:
    order = {
        "meeting": (Meeting.starts_at.desc(),),
        "action": (ActionItem.due_on.desc(),),
        "training": (Training.starts_at.desc(),),
    }.get(kind.name, (kind.target.updated_at.desc(),))
    return (*order, kind.target.id.desc())


def linked_work(session: Session, reader: User, commitment: Commitment) -> dict[str, list]:
    """What is linked to the commitment, by kind, keeping only what the reader may open."""
    linked = {}
    for name, kind in LINK_KINDS.items():
        link_column = getattr(kind.link, kind.column)
        linked[name] = list(
            session.scalars(
                select(kind.target)
                .join(kind.link, link_column == kind.target.id)
                .where(kind.link.commitment_id == commitment.id, kind.visible(reader))
                .order_by(*_newest_first(kind))
            )
        )
    return linked


def link_choices(session: Session, reader: User, commitment: Commitment, kind: LinkKind) -> list:
    """The MoU's pieces of work of that kind the reader may open, not linked yet, newest first."""
    already = select(getattr(kind.link, kind.column)).where(
        kind.link.commitment_id == commitment.id
    )
    return list(
        session.scalars(
            select(kind.target)
            .where(
                kind.in_mou(commitment.mou_id),
                kind.visible(reader),
                kind.target.id.not_in(already),
            )
            .order_by(*_newest_first(kind))
            .limit(LINK_CHOICES)
        )
    )


# The implementation report ------------------------------------------------------------------


@dataclass
class LineReport:
    """A line of cooperation in a period: its commitments and their counts per status."""

    line: LineOfCooperation
    commitments: list[Commitment]
    counts: dict[CommitmentStatus, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def line_commitments(
    session: Session, reader: User, mou: Mou, start: date, end: date
) -> list[LineReport]:
    """Per line of cooperation of the MoU (every line, in its order), the commitments that
    were open at some time in the period from `start` to `end` (both included, UTC days) and
    their counts per status: recorded before the period ended, and not achieved or dropped
    before it began. Status is the current one. Two statements; the reader must see the MoU.
    """
    if not can_view_commitments(reader, mou):
        raise Denied("mou", mou.id)
    in_period = and_(
        Commitment.mou_id == mou.id,
        visible_commitments_clause(reader),
        Commitment.created_at < _day_start(end + timedelta(days=1)),
        or_(Commitment.closed_at.is_(None), Commitment.closed_at >= _day_start(start)),
    )
    counts = _line_counts(session, in_period)
    commitments = session.scalars(
        select(Commitment)
        .where(in_period)
        .options(selectinload(Commitment.parties))
        .order_by(Commitment.target_on, Commitment.id)
    ).all()
    by_line = defaultdict(list)
    for commitment in commitments:
        by_line[commitment.line_id].append(commitment)
    return [
        LineReport(line, by_line[line.id], counts.get(line.id, _counts(()))) for line in mou.lines
    ]


# The coordinators' overview -------------------------------------------------------------------


@dataclass
class MouFollowUp:
    """One MoU of a party, as its coordinators follow it."""

    mou: Mou
    overdue_actions: int
    overdue_commitments: int
    next_meeting: Meeting | None
    next_training: Training | None
    counts: dict[CommitmentStatus, int]


def _party_mous(reader: User, party: Party):
    return (
        select(Mou)
        .join(mou_parties, mou_parties.c.mou_id == Mou.id)
        .where(mou_parties.c.party_id == party.id, visible_mous_clause(reader))
        .options(selectinload(Mou.parties))
        .order_by(Mou.signed_on.desc().nulls_last(), Mou.id)
    )


def follow_up_figures(session: Session, reader: User, mou_ids: list[int], today: date, now):
    """For each MoU id: overdue items and commitments, the next meeting's and training's ids
    and the commitments per status, in one statement of correlated subqueries."""
    # Two levels down (IN inside a scalar subquery): said explicitly, or it would not
    # correlate to the outer MoU and would take every MoU's groups.
    groups = select(WorkingGroup.id).where(WorkingGroup.mou_id == Mou.id).correlate(Mou)
    overdue_actions = (
        select(func.count(ActionItem.id))
        .where(
            ActionItem.working_group_id.in_(groups),
            ActionItem.status.in_(ACTIVE_STATUSES),
            ActionItem.due_on < today,
            visible_actions_clause(reader),
        )
        .scalar_subquery()
    )
    visible_commitment = and_(Commitment.mou_id == Mou.id, visible_commitments_clause(reader))
    overdue_commitments = (
        select(func.count(Commitment.id))
        .where(
            visible_commitment, Commitment.status.in_(OPEN_STATUSES), Commitment.target_on < today
        )
        .scalar_subquery()
    )
    next_meeting = (
        select(Meeting.id)
        .where(
            Meeting.working_group_id.in_(groups),
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at > now,
            visible_meetings_clause(reader),
        )
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(1)
        .scalar_subquery()
    )
    next_training = (
        select(Training.id)
        .where(
            Training.mou_id == Mou.id,
            Training.status == TrainingStatus.SCHEDULED,
            Training.starts_at > now,
            visible_trainings_clause(reader),
        )
        .order_by(Training.starts_at, Training.id)
        .limit(1)
        .scalar_subquery()
    )
    per_status = [
        select(func.count(Commitment.id))
        .where(visible_commitment, Commitment.status == status)
        .scalar_subquery()
        .label(status.value)
        for status in STATUSES
    ]
    rows = session.execute(
        select(
            Mou.id,
            overdue_actions.label("overdue_actions"),
            overdue_commitments.label("overdue_commitments"),
            next_meeting.label("next_meeting"),
            next_training.label("next_training"),
            *per_status,
        ).where(Mou.id.in_(mou_ids))
    ).all()
    return {row.id: row for row in rows}


def follow_up(
    session: Session, reader: User, party: Party, *, today: date, now: datetime, page: int
) -> tuple[Page, list[MouFollowUp]]:
    """The page of the party's MoUs with what is overdue, what is next and the state of their
    commitments: four statements whatever the number of rows (the page, its count, the
    figures, the next meetings and trainings)."""
    mous = paginate(session, _party_mous(reader, party), page=page)
    figures = follow_up_figures(session, reader, [mou.id for mou in mous.items], today, now)
    meeting_ids = {row.next_meeting for row in figures.values()} - {None}
    training_ids = {row.next_training for row in figures.values()} - {None}
    meetings = {
        m.id: m for m in session.scalars(select(Meeting).where(Meeting.id.in_(meeting_ids)))
    }
    trainings = {
        t.id: t for t in session.scalars(select(Training).where(Training.id.in_(training_ids)))
    }
    rows = []
    for mou in mous.items:
        row = figures[mou.id]
        rows.append(
            MouFollowUp(
                mou=mou,
                overdue_actions=row.overdue_actions,
                overdue_commitments=row.overdue_commitments,
                next_meeting=meetings.get(row.next_meeting),
                next_training=trainings.get(row.next_training),
                counts={status: getattr(row, status.value) for status in STATUSES},
            )
        )
    return mous, rows

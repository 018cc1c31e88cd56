"""The later occurrences of a new series get their invitations after the request.

Scheduling a weekly series of 20 for a group of 500 would write 10,000 invitations while the
organiser waits. The request writes the first occurrence's (the series' mails carry their
reply links) and records the series as pending (PendingSeriesInvitations). The outbox worker
then copies the first occurrence's invitees to the later ones, one series per transaction,
before it sends any mail (Feature.outbox_steps); a pending row is claimed with
`FOR UPDATE SKIP LOCKED`, so two workers never copy a series twice (SQLite: one worker).

Every write that reads or changes a series' invitations completes it first, in its own
transaction, under a lock on the pending row (complete_pending_invitations): changing,
moving, splitting or cancelling the series or an occurrence, replies, adding or removing a
person, attendance and minutes. Until then a later occurrence's page says its invitations
are being written (waiting_for_invitations).
"""

from collections.abc import Iterable

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from portal.core import kept
from portal.meetings.inviting import among
from portal.meetings.models import Invitee, Meeting, MeetingSeries, PendingSeriesInvitations

Pending = PendingSeriesInvitations


def defer(session: Session, series: MeetingSeries, first: Meeting) -> None:
    """Record that the series' occurrences after `first` (flushed) wait for its invitees."""
    session.add(Pending(series_id=series.id, first_meeting_id=first.id))


def complete_pending_invitations(session: Session, series_ids: Iterable[int | None]) -> int:
    """Invite the later occurrences of these series if they are still pending (waiting for a
    worker that holds one); return how many series were completed. One indexed look-up when
    none is pending: call it first in every write that touches a series' invitations."""
    ids = sorted({series_id for series_id in series_ids if series_id is not None})
    if not ids:
        return 0
    rows = session.execute(
        select(Pending.series_id, Pending.first_meeting_id)
        .where(Pending.series_id.in_(ids))
        .order_by(Pending.series_id)
        .with_for_update()
    ).all()
    for series_id, first_meeting_id in rows:
        _copy_invitations(session, series_id, first_meeting_id)
    return len(rows)


def complete_for(session: Session, *meetings: Meeting) -> int:
    """complete_pending_invitations for the series of these meetings."""
    return complete_pending_invitations(session, (meeting.series_id for meeting in meetings))


def complete_one_pending(session: Session) -> bool:
    """(the outbox worker's step) Complete the oldest pending series no other worker holds,
    and commit; False when none is left."""
    row = session.execute(
        select(Pending.series_id, Pending.first_meeting_id)
        .order_by(Pending.created_at, Pending.series_id)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()
    if row is None:
        session.rollback()
        return False
    _copy_invitations(session, row.series_id, row.first_meeting_id)
    session.commit()
    return True


def complete_all_pending(session: Session) -> int:
    """Every pending series, one per transaction; how many this worker completed."""
    done = 0
    while complete_one_pending(session):
        done += 1
    return done


def _copy_invitations(session: Session, series_id: int, first_meeting_id: int) -> None:
    """One INSERT ... SELECT of (later occurrences x the first one's invitees), then the
    pending row deleted and the versions the new rows reach raised (kept pages)."""
    later = session.scalars(
        select(Meeting.id).where(Meeting.series_id == series_id, Meeting.id != first_meeting_id)
    ).all()
    someone = session.scalar(
        select(Invitee.user_id).where(Invitee.meeting_id == first_meeting_id).limit(1)
    )
    if later and someone is not None:
        pairs = (
            select(Meeting.id, Invitee.user_id)
            .join(Invitee, Invitee.meeting_id == first_meeting_id)
            .where(among(session, Meeting.id, list(later)))
            .order_by(Meeting.id, Invitee.id)
        )
        session.execute(Invitee.__table__.insert().from_select(["meeting_id", "user_id"], pairs))
        kept.bulk_written(session, [Invitee(meeting_id=m, user_id=someone) for m in later])
    session.execute(delete(Pending).where(Pending.series_id == series_id))
    _forget_loaded_invitees(session, set(later))


def _forget_loaded_invitees(session: Session, meeting_ids: set[int]) -> None:
    """Meetings already loaded read their invitees again when asked."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Meeting) and obj.id in meeting_ids:
            session.expire(obj, ["invitees"])


def waiting_for_invitations(session: Session, meeting: Meeting) -> bool:
    """Whether this occurrence's invitations are still being written (a later occurrence of a
    pending series)."""
    if meeting.series_id is None:
        return False
    return bool(
        session.scalar(
            select(
                exists().where(
                    Pending.series_id == meeting.series_id,
                    Pending.first_meeting_id != meeting.id,
                )
            )
        )
    )

"""What scheduling leaves to the outbox worker: a new meeting's invitation mails, and the
later occurrences of a new series' invitations.

Scheduling a meeting for a group of 500 would render and queue 500 invitations while the
organiser waits, and a weekly series of 20 would also write 10,000 invitations. The request
writes the meeting (or the series' occurrences) and the first occurrence's invitees, and
records what is left: the invitation mails (PendingInvitationMails) and, for a series, the
later occurrences' invitees (PendingSeriesInvitations). The outbox worker does both before it
sends any mail (Feature.outbox_steps), one meeting or series per transaction; a pending row is
claimed with `FOR UPDATE SKIP LOCKED`, so two workers never do it twice (SQLite: one worker).

Every write that mails about a meeting, or reads or changes its invitations, completes what
is pending for it and its series first, in its own transaction, under a lock on the pending
rows (complete_for): changing, moving, splitting or cancelling the meeting, the series or an
occurrence, replies, adding or removing a person, attendance and minutes. So the invitation
always goes before any later mail about the meeting, and describes the meeting as scheduled.
Until then a later occurrence's page says its invitations are being written
(waiting_for_invitations).
"""

from collections.abc import Callable, Iterable

from sqlalchemy import Select, delete, exists, or_, select
from sqlalchemy.orm import Session, selectinload

from portal.core import kept
from portal.meetings import notifications as notify
from portal.meetings.inviting import among
from portal.meetings.models import (
    Invitee,
    Meeting,
    MeetingSeries,
    PendingInvitationMails,
    PendingSeriesInvitations,
)

Pending = PendingSeriesInvitations
PendingMails = PendingInvitationMails


def defer(session: Session, series: MeetingSeries, first: Meeting) -> None:
    """Record that the series' occurrences after `first` (flushed) wait for its invitees."""
    session.add(Pending(series_id=series.id, first_meeting_id=first.id))


def defer_mails(session: Session, meeting: Meeting) -> None:
    """Record that the invitations to this new meeting (flushed; a series' first occurrence
    stands for the series) are to be mailed to its invitees."""
    session.add(PendingMails(meeting_id=meeting.id))


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
    """Mail the pending invitations to these meetings and their series, and invite their
    series' later occurrences if still pending; how many pending items were completed."""
    mailed = mail_pending_invitations(session, meetings)
    return mailed + complete_pending_invitations(session, (m.series_id for m in meetings))


def mail_pending_invitations(session: Session, meetings: Iterable[Meeting]) -> int:
    """Queue the invitation mails still pending for these meetings or their series (one
    indexed look-up when none is); how many meetings' mails were queued."""
    meetings = list(meetings)
    concerned = PendingMails.meeting_id.in_(sorted({meeting.id for meeting in meetings}))
    series_ids = sorted({m.series_id for m in meetings if m.series_id is not None})
    query = select(PendingMails.meeting_id)
    if series_ids:
        query = query.join(Meeting, Meeting.id == PendingMails.meeting_id)
        concerned = or_(concerned, Meeting.series_id.in_(series_ids))
    pending_ids = session.scalars(
        query.where(concerned).order_by(PendingMails.meeting_id).with_for_update(of=PendingMails)
    ).all()
    for meeting_id in pending_ids:
        _mail_invitations(session, meeting_id)
    return len(pending_ids)


def complete_one_pending(session: Session) -> bool:
    """(the outbox worker's step) Complete the oldest pending series no other worker holds,
    and commit; False when none is left."""
    oldest = select(Pending.series_id, Pending.first_meeting_id).order_by(
        Pending.created_at, Pending.series_id
    )
    return _do_oldest(session, oldest, _copy_invitations)


def mail_one_pending(session: Session) -> bool:
    """(the outbox worker's step) Queue the invitation mails of the oldest pending meeting no
    other worker holds, and commit; False when none is left."""
    oldest = select(PendingMails.meeting_id).order_by(
        PendingMails.created_at, PendingMails.meeting_id
    )
    return _do_oldest(session, oldest, _mail_invitations)


def _do_oldest(session: Session, oldest: Select, work: Callable[..., None]) -> bool:
    """`work(session, *row)` for the first row of `oldest` that no other worker holds
    (claimed with SKIP LOCKED), then commit; False when there is none."""
    row = session.execute(oldest.limit(1).with_for_update(skip_locked=True)).first()
    if row is None:
        session.rollback()
        return False
    work(session, *row)
    session.commit()
    return True


def complete_all_pending(session: Session) -> int:
    """Every pending meeting's mails, then every pending series' invitations, one per
    transaction; how many this worker completed."""
    done = 0
    for step in (mail_one_pending, complete_one_pending):
        while step(session):
            done += 1
    return done


def _mail_invitations(session: Session, meeting_id: int) -> None:
    """Queue the invitations to the meeting (a series' first occurrence: to the series) for
    its invitees, and delete the pending row."""
    meeting = session.get(Meeting, meeting_id)
    invitees = session.scalars(
        select(Invitee)
        .where(Invitee.meeting_id == meeting_id)
        .options(selectinload(Invitee.user))
        .order_by(Invitee.id)
    ).all()
    if meeting.series_id is None:
        notify.meeting_scheduled(session, meeting, invitees)
    else:
        people = [invitee.user for invitee in invitees]
        notify.series_scheduled(session, meeting.series, people, invitees)
    session.execute(delete(PendingMails).where(PendingMails.meeting_id == meeting_id))


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

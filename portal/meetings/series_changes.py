"""Changing a series from one occurrence on: its occurrences are changed in place, never replaced.

Every occurrence keeps its id, its URL and what people attached to it (replies, comments,
agenda items, attachments, attendance, minutes), and the reply links of mails already sent
keep working. Which existing occurrence a start of the new rule goes to:

1. an occurrence whose RECURRENCE-ID (original start) the new rule still produces stays itself:
   calendars know it by that identifier, and so do the people who replied to it;
2. the other starts take the other occurrences in order (the n-th left over start gets the
   n-th left over occurrence), so "every meeting one hour later" moves each meeting;
3. starts left over get new occurrences, with the series' invitees;
4. occurrences left over are cancelled and kept (their CANCEL is sent under the rule that
   produced them, before the rule changes).

A cancelled occurrence stays cancelled wherever it goes (its place in the rule moves, as an
EXDATE). A split series gets a new UID (RFC 5546) but keeps its occurrences. A series moved to
another time or day keeps its number of meetings: an UNTIL moves as far as its first start.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.audit.services import record
from portal.calendar.ics import new_uid
from portal.meetings import inviting, recipients
from portal.meetings import notifications as notify
from portal.meetings import services as scheduling
from portal.meetings.models import Meeting, MeetingSeries, MeetingStatus
from portal.meetings.recurrence import (
    remaining_rule,
    rule_for_new_start,
    series_instants,
    shifted_until,
    truncated_before,
)


@dataclass
class _Plan:
    """Which occurrence each start of the new rule goes to, and which are left over."""

    pairs: list[tuple[Meeting | None, datetime, tuple[datetime, datetime]]]
    dropped: list[Meeting]
    changes: set[str] = field(default_factory=set)


def plan(existing: list[Meeting], moments) -> _Plan:
    """Pair the existing occurrences (in order of original start) with the new rule's starts."""
    by_original = {m.original_start_local: m for m in existing}
    kept = {original: by_original[original] for original, _ in moments if original in by_original}
    kept_ids = {id(m) for m in kept.values()}
    spare = iter([m for m in existing if id(m) not in kept_ids])
    pairs = [
        (kept.get(original) or next(spare, None), original, times) for original, times in moments
    ]
    return _Plan(pairs=pairs, dropped=list(spare))


def update_following(session: Session, actor: User, meeting: Meeting, details, instants):
    """This occurrence and the following ones: a new series (new UID) from this one on, or the
    whole series when it is the first."""
    old = meeting.series
    earlier = [m for m in old.meetings if m.original_start_local < meeting.original_start_local]
    if not earlier:
        return _update_whole_series(session, actor, old, details, instants)
    following = [m for m in old.meetings if m.original_start_local >= meeting.original_start_local]
    scheduling.refuse_if_minutes(session, following)
    starts_at, ends_at = instants
    new_series = MeetingSeries(
        working_group_id=old.working_group_id,
        uid=new_uid(),
        timezone=details.timezone,
        first_start_local=details.start_local,
        duration_minutes=int((ends_at - starts_at).total_seconds() // 60),
        rrule=rule_for_new_start(remaining_rule(old.rrule, len(earlier)), details.start_local),
    )
    steps = plan(following, series_instants(new_series, confirm_ambiguous=True))
    if not _changes_anything(steps, details):
        return []
    people = recipients.people_invited_to(session, following)
    _cancel_dropped(session, old, steps.dropped)
    old.rrule = truncated_before(old.rrule, meeting.original_start_local, old.timezone)
    old.sequence += 1
    session.add(new_series)
    created = _apply(session, steps, new_series, actor, details, meeting.working_group)
    session.flush()
    inviting.invite(session, created, people)
    changes = _ordered(steps.changes)
    notify.series_split(session, old, new_series, meeting, changes, people)
    notify.series_scheduled(session, new_series, people)
    record(
        session, "meeting.series_split", actor=actor, object_type="meeting", object_id=meeting.id
    )
    return changes


def _update_whole_series(session, actor, series: MeetingSeries, details, instants):
    """From the first occurrence on: the series' rule follows the new first start."""
    scheduling.refuse_if_minutes(session, series.meetings)
    starts_at, ends_at = instants
    existing = list(series.meetings)
    people = recipients.people_invited_to(session, existing)
    moved_by = details.start_local - series.first_start_local
    rule = shifted_until(rule_for_new_start(series.rrule, details.start_local), moved_by)
    shape = (details.timezone, details.start_local, rule)
    trial = MeetingSeries(
        timezone=shape[0],
        first_start_local=shape[1],
        rrule=rule,
        duration_minutes=int((ends_at - starts_at).total_seconds() // 60),
    )
    steps = plan(existing, series_instants(trial, confirm_ambiguous=True))
    if not _changes_anything(steps, details):
        return []
    _cancel_dropped(session, series, steps.dropped)
    series.timezone, series.first_start_local, series.rrule = shape
    series.duration_minutes = trial.duration_minutes
    created = _apply(session, steps, series, actor, details, existing[0].working_group)
    session.flush()
    changes = _ordered(steps.changes)
    series.sequence += 1
    inviting.invite(session, created, people)
    notify.series_changed(session, series, changes)
    record(
        session, "meeting.series_changed", actor=actor, object_type="series", object_id=series.id
    )
    return changes


def _changes_anything(steps: _Plan, details) -> bool:
    """Whether the plan adds, cancels or changes a meeting (saving the form unchanged does not
    split the series)."""
    if steps.dropped and any(not m.is_cancelled for m in steps.dropped):
        return True
    return any(
        meeting is None
        or (not meeting.is_cancelled and scheduling.changes_for(meeting, details, *times))
        for meeting, _, times in steps.pairs
    )


def _cancel_dropped(session: Session, series: MeetingSeries, dropped: list[Meeting]) -> None:
    """Occurrences the new rule no longer makes: cancelled, kept, told (under the old rule)."""
    dropped = [m for m in dropped if not m.is_cancelled]
    if not dropped:
        return
    series.sequence += 1
    for meeting in dropped:
        notify.occurrence_cancelled(session, series, meeting)
        meeting.status = MeetingStatus.CANCELLED


def _apply(
    session: Session, steps: _Plan, series: MeetingSeries, actor: User, details, group
) -> list[Meeting]:
    """Move each paired occurrence to its new start with the new details; return new ones.
    The occurrences moved ask their invitees to confirm again, all in one statement."""
    created, moved = [], []
    for meeting, original, (start, end) in steps.pairs:
        if meeting is None:
            meeting = scheduling.new_meeting(group, actor, details, start, end, uid=series.uid)
            created.append(meeting)
            series.meetings.append(meeting)
        meeting.series = series
        meeting.uid = series.uid
        meeting.original_start_local = original
        if meeting in created or meeting.is_cancelled:
            continue
        changes = scheduling.apply_details(meeting, details, start, end)
        meeting.is_exception = False
        if "time" in changes:
            moved.append(meeting)
        steps.changes.update(changes)
    if moved:
        session.flush()
        scheduling.ask_to_confirm_again(session, moved)
    if created:
        steps.changes.add("time")
    return created


def _ordered(changes: set[str]) -> list[str]:
    return [kind for kind in scheduling.CHANGE_KINDS if kind in changes]

"""Cancelling a meeting, an occurrence of a series, or a series from one occurrence on; and
what the confirmation page says of it (which meetings go, who is mailed)."""

from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.audit.services import record
from portal.core import past_events
from portal.meetings import notifications as notify
from portal.meetings import pending, recipients
from portal.meetings.models import Meeting, MeetingStatus
from portal.meetings.recurrence import truncated_before
from portal.meetings.services import Scope, require_manager


def cancel_meeting(
    session: Session, actor: User, meeting: Meeting, scope: Scope = Scope.THIS
) -> None:
    require_manager(actor, meeting.working_group)
    if meeting.is_cancelled:
        return
    past_events.require_meeting_cancellable(meeting)
    pending.complete_for(session, meeting)
    series = meeting.series
    if series is None:
        meeting.status = MeetingStatus.CANCELLED
        meeting.sequence += 1
        notify.meeting_cancelled(session, meeting)
    elif scope == Scope.THIS:
        meeting.status = MeetingStatus.CANCELLED
        series.sequence += 1
        notify.occurrence_cancelled(session, series, meeting)
    else:
        following = _this_and_following(meeting)
        for occurrence in following:
            occurrence.status = MeetingStatus.CANCELLED
        series.sequence += 1
        if following[0] is series.meetings[0]:
            notify.series_cancelled(session, series)
        else:
            series.rrule = truncated_before(
                series.rrule, meeting.original_start_local, series.timezone
            )
            notify.series_changed(session, series, ["cancelled_following"])
    record(
        session,
        "meeting.cancelled",
        actor=actor,
        object_type="meeting",
        object_id=meeting.id,
        scope=scope.value,
    )


def _this_and_following(meeting: Meeting) -> list[Meeting]:
    return [
        m for m in meeting.series.meetings if m.original_start_local >= meeting.original_start_local
    ]


def meetings_to_cancel(meeting: Meeting, scope: Scope) -> list[Meeting]:
    """The meetings cancel_meeting(meeting, scope) cancels that are not cancelled already."""
    chosen = [meeting] if meeting.series is None or scope == Scope.THIS else None
    return [m for m in chosen or _this_and_following(meeting) if not m.is_cancelled]


def cancels_whole_series(meeting: Meeting, scope: Scope) -> bool:
    series = meeting.series
    return series is not None and scope == Scope.FOLLOWING and meeting is series.meetings[0]


def cancellation_recipients(session: Session, meeting: Meeting, scope: Scope) -> list[User]:
    """Who cancel_meeting(meeting, scope) mails: the invitees of this meeting, or of the whole
    series when more than one occurrence goes (the series' calendar is sent again)."""
    if meeting.series is None or scope == Scope.THIS:
        return [person for person, _ in recipients.invited_people(session, meeting)]
    return recipients.series_people(session, meeting.series)

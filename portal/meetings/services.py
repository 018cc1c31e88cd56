"""Scheduling and changing meetings and series, across time zones (cancelling: cancelling.py)."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    select,
    update,
)
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.audit.services import record
from portal.calendar.ics import new_uid
from portal.calendar.localtime import local_instant
from portal.core import kept, past_events
from portal.core.db import utcnow
from portal.core.errors import Forbidden, ValidationError
from portal.core.markdown import render_markdown
from portal.core.timezones import is_valid_timezone
from portal.core.tlp import TLP
from portal.meetings import access, inviting, pending, working_hours
from portal.meetings import notifications as notify
from portal.meetings.models import (
    MAX_DURATION,
    Invitee,
    Meeting,
    MeetingSeries,
    Minutes,
    Reply,
)
from portal.meetings.recurrence import Recurrence, series_instants
from portal.mous.models import WorkingGroup

# What the change mail names, and the fields behind each.
CHANGE_KINDS = {
    "time": ("starts_at", "ends_at", "timezone"),
    "title": ("title_en", "title_es"),
    "place": ("place",),
    "video_url": ("video_url",),
    "description": ("description_md_en", "description_md_es"),
    "tlp": ("tlp",),
}


class Scope(StrEnum):
    THIS = "this"
    FOLLOWING = "following"


@dataclass(frozen=True)
class MeetingDetails:
    """Title and description in English, Spanish or both (`description_md` is the English
    one); at least one title."""

    title_en: str
    title_es: str
    description_md: str
    start_local: datetime  # naive wall-clock times in `timezone`
    end_local: datetime
    timezone: str
    place: str
    video_url: str
    tlp: TLP
    start_fold: int | None = None  # which of two equal local times is meant, when asked
    end_fold: int | None = None
    description_md_es: str = ""


def require_manager(actor: User, group: WorkingGroup) -> None:
    if not access.can_manage_meetings(actor, group):
        raise Forbidden(str(_l("Only the coordinators of the MoU's parties schedule meetings.")))


def require_managing(actor: User, *, reads_mou: bool) -> None:
    """require_manager from the fact read in SQL (access.reads_mou_clause)."""
    if not access.manages_meetings(actor, reads_mou=reads_mou):
        raise Forbidden(str(_l("Only the coordinators of the MoU's parties schedule meetings.")))


# Times -------------------------------------------------------------------------------


def meeting_instants(details: MeetingDetails) -> tuple[datetime, datetime]:
    """Start and end as UTC instants; AmbiguousLocalTime propagates so the form can ask."""
    if not (details.title_en.strip() or details.title_es.strip()):
        message = _l("Write the title in English, in Spanish or in both.")
        raise ValidationError(str(message), field="title_en")
    if not is_valid_timezone(details.timezone):
        raise ValidationError(str(_l("Choose a time zone from the list.")), field="timezone")
    zone = details.timezone
    starts_at = local_instant(details.start_local, zone, details.start_fold, "start_local")
    ends_at = local_instant(details.end_local, zone, details.end_fold, "end_local")
    if ends_at <= starts_at:
        raise ValidationError(str(_l("The meeting must end after it starts.")), field="end_local")
    if ends_at - starts_at > MAX_DURATION:
        raise ValidationError(str(_l("A meeting lasts at most 24 hours.")), field="end_local")
    return starts_at, ends_at


def changes_for(meeting: Meeting, details: MeetingDetails, starts_at, ends_at) -> list[str]:
    """What copying the details onto the meeting would change, as the change mail names it."""
    new = _new_values(details, starts_at, ends_at)
    changed_fields = {name for name, value in new.items() if getattr(meeting, name) != value}
    return [change for change, fields in CHANGE_KINDS.items() if changed_fields & set(fields)]


def apply_details(meeting: Meeting, details: MeetingDetails, starts_at, ends_at) -> list[str]:
    """Copy the details onto the meeting; return what changed, for the change mail."""
    changes = changes_for(meeting, details, starts_at, ends_at)
    for name, value in _new_values(details, starts_at, ends_at).items():
        setattr(meeting, name, value)
    meeting.description_html_en = render_markdown(details.description_md)
    meeting.description_html_es = render_markdown(details.description_md_es)
    meeting.updated_at = utcnow()
    return changes


def _new_values(details: MeetingDetails, starts_at, ends_at) -> dict:
    return {
        "title_en": details.title_en.strip(),
        "title_es": details.title_es.strip(),
        "place": details.place,
        "video_url": details.video_url,
        "description_md_en": details.description_md,
        "description_md_es": details.description_md_es,
        "tlp": details.tlp,
        "timezone": details.timezone,
        "starts_at": starts_at,
        "ends_at": ends_at,
    }


# Scheduling ---------------------------------------------------------------------------


def schedule_meeting(
    session: Session,
    actor: User,
    group: WorkingGroup,
    details: MeetingDetails,
    recurrence: Recurrence | None = None,
    *,
    confirm_ambiguous: bool = False,
    record_past: bool = False,
    confirm_off_hours: bool | str = False,
) -> Meeting:
    """Schedule a meeting (or a series) and invite the group's members; returns the first one.

    A start in the past is refused unless `record_past` says the meeting is being recorded
    after it took place: its invitees are listed, but nobody is sent an invitation. A meeting
    on a party's public holiday or outside its working time raises OffHours (nothing written)
    unless `confirm_off_hours` says the organiser was told and confirmed (True, or the
    fingerprint of the question they were shown).
    """
    require_manager(actor, group)
    starts_at, ends_at = meeting_instants(details)
    past = _refuse_past_start_unless_recorded(starts_at, record_past)
    people = inviting.invitable_people(session, group)
    if recurrence is None:
        if not past:
            _ask_if_off_hours(group, actor, [(starts_at, ends_at)], confirm_off_hours)
        meeting = new_meeting(group, actor, details, starts_at, ends_at, uid=new_uid())
        session.add(meeting)
        session.flush()
        inviting.invite(session, [meeting], people)
        if not past:
            pending.defer_mails(session, meeting)  # mailed after the request (pending.py)
        record(
            session,
            "meeting.scheduled",
            actor=actor,
            object_type="meeting",
            object_id=meeting.id,
            recorded_past=past,
        )
        return meeting
    series = _new_series(group, details, recurrence, ends_at - starts_at)
    moments = series_instants(series, confirm_ambiguous)
    if not past:
        _ask_if_off_hours(group, actor, [moment for _, moment in moments], confirm_off_hours)
    for original, (occurrence_start, occurrence_end) in moments:
        meeting = new_meeting(
            group, actor, details, occurrence_start, occurrence_end, uid=series.uid
        )
        meeting.original_start_local = original
        series.meetings.append(meeting)
    session.add(series)
    session.flush()
    first = series.meetings[0]
    # The later occurrences' invitations and the mails are written after the request
    # (pending.py).
    inviting.invite(session, [first], people)
    pending.defer(session, series, first)
    if not past:
        pending.defer_mails(session, first)
    record(
        session,
        "meeting.series_scheduled",
        actor=actor,
        object_type="meeting",
        object_id=first.id,
        recorded_past=past,
    )
    return first


def _ask_if_off_hours(
    group: WorkingGroup, organiser: User | None, moments, confirmation: bool | str
) -> None:
    if confirmation is True:
        return
    reasons = working_hours.off_hours_reasons(group, organiser, moments)
    if reasons and not working_hours.confirmed(reasons, confirmation):
        raise working_hours.OffHours(reasons)


def _refuse_past_start_unless_recorded(starts_at: datetime, record_past: bool) -> bool:
    """Whether the meeting starts in the past; refused when that was not confirmed."""
    past = past_events.is_in_the_past(starts_at)
    if past and not record_past:
        raise ValidationError(
            str(
                _l(
                    "This start is in the past. To record a past meeting, tick the box: "
                    "no invitation will be sent."
                )
            ),
            field="record_past",
        )
    return past


def new_meeting(group, actor, details, starts_at, ends_at, *, uid: str) -> Meeting:
    meeting = Meeting(working_group=group, organiser_id=actor.id, uid=uid, sequence=0)
    apply_details(meeting, details, starts_at, ends_at)
    return meeting


def _new_series(group, details: MeetingDetails, recurrence: Recurrence, duration) -> MeetingSeries:
    return MeetingSeries(
        working_group_id=group.id,
        uid=new_uid(),
        timezone=details.timezone,
        first_start_local=details.start_local,
        duration_minutes=int(duration.total_seconds() // 60),
        rrule=recurrence.rrule(details.start_local, details.timezone),
    )


# Changing ---------------------------------------------------------------------------------


def update_meeting(
    session: Session,
    actor: User,
    meeting: Meeting,
    details: MeetingDetails,
    scope: Scope = Scope.THIS,
    *,
    confirm_off_hours: bool | str = False,
) -> list[str]:
    """Change a meeting (or this and the following ones of its series); return what changed.

    A new time on a party's holiday or outside its working time raises OffHours (nothing
    written) unless confirmed; for "this and the following", this meeting's new time is checked.
    """
    require_manager(actor, meeting.working_group)
    if meeting.is_cancelled:
        raise ValidationError(str(_l("A cancelled meeting cannot be changed.")))
    pending.complete_for(session, meeting)
    starts_at, ends_at = meeting_instants(details)
    moved = "time" in changes_for(meeting, details, starts_at, ends_at)
    if moved and not past_events.is_in_the_past(starts_at):
        organiser = meeting.organiser or actor
        _ask_if_off_hours(
            meeting.working_group, organiser, [(starts_at, ends_at)], confirm_off_hours
        )
    if meeting.series is not None and scope == Scope.FOLLOWING:
        # Imported here: series_changes builds on this module's helpers.
        from portal.meetings import series_changes

        return series_changes.update_following(
            session, actor, meeting, details, (starts_at, ends_at)
        )
    changes = apply_details(meeting, details, starts_at, ends_at)
    if not changes:
        return []
    if meeting.series is None:
        meeting.sequence += 1
        notify.meeting_changed(session, meeting, changes)
    else:
        meeting.is_exception = True
        meeting.series.sequence += 1
        notify.series_changed(session, meeting.series, changes, changed=meeting)
    if "time" in changes:
        session.flush()
        ask_to_confirm_again(session, [meeting])
    record(
        session,
        "meeting.changed",
        actor=actor,
        object_type="meeting",
        object_id=meeting.id,
        changes=changes,
    )
    return changes


def ask_to_confirm_again(session: Session, meetings: list[Meeting]) -> None:
    """A new time needs a new answer (RFC 5546): each reply is kept, shown to its author, and
    marked to be confirmed again; nobody's acceptance of the old time is assumed. One UPDATE
    for these (flushed) meetings, not their invitations loaded (a series of 20 for 500 people:
    10,000); the versions they reach are raised as the listener would."""
    ids = [meeting.id for meeting in meetings]
    if not ids:
        return
    session.execute(
        update(Invitee)
        .where(
            Invitee.meeting_id.in_(ids),
            Invitee.reply != Reply.NEEDS_ACTION,
            Invitee.reconfirm.is_(False),
        )
        .values(reconfirm=True)
        .execution_options(synchronize_session="evaluate")
    )
    kept.bulk_written(session, [Invitee(meeting_id=meeting_id) for meeting_id in ids])


def refuse_if_minutes(session: Session, meetings: list[Meeting]) -> None:
    """Refused when one of these meetings has minutes: one statement, not one per meeting."""
    ids = [meeting.id for meeting in meetings]
    if session.scalar(select(Minutes.id).where(Minutes.meeting_id.in_(ids)).limit(1)):
        raise ValidationError(
            str(_l("Some of these meetings already have minutes; change them one by one."))
        )

"""Proposing times, answering, picking one (which schedules the meeting) and cancelling.

Expiry closes answering only. Picking stays allowed after it: the expiry says when the
answers are in, and choosing from them is what comes next; refusing would force the
coordinator to propose the same times again. A proposed time already past cannot be picked
(the meeting would be a past one, without invitations).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import Role, User
from portal.audit.services import record
from portal.calendar.localtime import local_instant
from portal.core.db import utcnow
from portal.core.errors import Conflict, Forbidden, NotFound, ValidationError
from portal.core.i18n import show_date
from portal.core.timezones import is_valid_timezone
from portal.core.tlp import TLP
from portal.meetings import services as meetings
from portal.meetings.access import can_be_invited
from portal.meetings.models import Meeting
from portal.mous.models import Membership, WorkingGroup
from portal.polls import access
from portal.polls import notifications as notify
from portal.polls.models import (
    MAX_OPTIONS,
    MIN_OPTIONS,
    Answer,
    Poll,
    PollAnswer,
    PollOption,
    PollParticipant,
    PollStatus,
)

MIN_DURATION = 15
MAX_DURATION = 24 * 60


@dataclass(frozen=True)
class PollDetails:
    title_en: str
    title_es: str
    timezone: str
    duration_minutes: int
    expires_on: date
    # The proposed starts, naive wall-clock times in `timezone`, with the form field of each.
    starts_local: Mapping[str, datetime]
    # Which of two equal local times is meant, per field, where asked.
    folds: Mapping[str, int | None] = field(default_factory=dict)
    place: str = ""
    tlp: TLP = TLP.AMBER


def require_manager(actor: User, group: WorkingGroup) -> None:
    if not access.can_manage_polls(actor, group):
        raise Forbidden(str(_l("Only those who schedule the group's meetings propose times.")))


def is_expired(poll: Poll, now: datetime | None = None) -> bool:
    """Whether answers have closed (for a poll, or its page's facts: queries.PollFacts)."""
    return (now or utcnow()) >= poll.expires_at


def is_past(option: PollOption, now: datetime | None = None) -> bool:
    """Whether a proposed time has begun (an option, or a time of the page's facts)."""
    return option.starts_at <= (now or utcnow())


# Proposing -------------------------------------------------------------------------------------


def end_of_day(day: date, zone: str) -> datetime:
    """The instant `day` ends in `zone`: the next midnight (or, where the clocks skip
    midnight, the moment they jump), never ambiguous."""
    following = datetime.combine(day + timedelta(days=1), time(0), tzinfo=ZoneInfo(zone))
    return following.astimezone(UTC)


def candidate_instants(details: PollDetails) -> list[tuple[str, datetime, datetime]]:
    """(field, start, end) of each proposed time, as UTC instants; AmbiguousLocalTime
    propagates so the form can ask which one is meant."""
    if not is_valid_timezone(details.timezone):
        raise ValidationError(str(_l("Choose a time zone from the list.")), field="timezone")
    if not MIN_DURATION <= details.duration_minutes <= MAX_DURATION:
        raise ValidationError(
            str(_l("A meeting lasts from 15 minutes to 24 hours: it must end after it starts.")),
            field="duration_minutes",
        )
    starts = [(name, local) for name, local in details.starts_local.items() if local is not None]
    if not MIN_OPTIONS <= len(starts) <= MAX_OPTIONS:
        raise ValidationError(str(_l("Propose from two to six times.")))
    duration = timedelta(minutes=details.duration_minutes)
    now = utcnow()
    seen: set[datetime] = set()
    instants = []
    for name, local in starts:
        fold = details.folds.get(name)
        starts_at = local_instant(local, details.timezone, fold, name)
        if starts_at in seen:
            raise ValidationError(str(_l("This time is proposed twice.")), field=name)
        if starts_at <= now:
            raise ValidationError(
                str(_l("This time is already past: propose times to come.")), field=name
            )
        seen.add(starts_at)
        instants.append((name, starts_at, starts_at + duration))
    return instants


def expiry_instant(details: PollDetails) -> datetime:
    expires_at = end_of_day(details.expires_on, details.timezone)
    if expires_at <= utcnow():
        raise ValidationError(str(_l("The answers must close today or later.")), field="expires_on")
    return expires_at


def participants_for(session: Session, group: WorkingGroup) -> list[User]:
    """The group's members asked: those who may be invited to its meetings, observers aside
    (they read what members read and change nothing)."""
    members = session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.working_group_id == group.id)
        .order_by(Membership.id)
    )
    return [
        person
        for person in members
        if can_be_invited(person, group) and person.role != Role.OBSERVER
    ]


def propose_times(session: Session, actor: User, group: WorkingGroup, details: PollDetails) -> Poll:
    """A poll of two to six times, mailed to the group's members."""
    require_manager(actor, group)
    instants = candidate_instants(details)
    expires_at = expiry_instant(details)
    poll = Poll(
        working_group=group,
        title_en=details.title_en.strip(),
        title_es=details.title_es.strip(),
        place=details.place,
        tlp=details.tlp,
        timezone=details.timezone,
        duration_minutes=details.duration_minutes,
        expires_on=details.expires_on,
        expires_at=expires_at,
        status=PollStatus.OPEN,
        created_by_id=actor.id,
        options=[PollOption(starts_at=start, ends_at=end) for _, start, end in instants],
        participants=[PollParticipant(user=person) for person in participants_for(session, group)],
    )
    session.add(poll)
    session.flush()
    notify.poll_opened(session, poll)
    record(session, "poll.opened", actor=actor, object_type="poll", object_id=poll.id)
    return poll


# Answering -------------------------------------------------------------------------------------


def require_open(poll: Poll) -> None:
    if poll.status == PollStatus.CLOSED:
        raise Conflict(str(_l("A time has been chosen: this poll is closed.")))
    if poll.status == PollStatus.CANCELLED:
        raise Conflict(str(_l("This poll has been cancelled.")))


def require_answers_open(poll: Poll) -> None:
    require_open(poll)
    if is_expired(poll):
        raise Conflict(
            str(
                _l(
                    "This poll expired at the end of %(day)s (%(zone)s): answers are closed.",
                    day=show_date(poll.expires_on),
                    zone=poll.timezone,
                )
            )
        )


def answer_poll(session: Session, person: User, poll: Poll, answers: Mapping[int, Answer]) -> None:
    """Record the person's answers (option id -> answer); an option left out keeps its answer."""
    if not access.can_answer_poll(person, poll):
        raise Forbidden(str(_l("Only the people asked answer this poll.")))
    require_answers_open(poll)
    options = {option.id: option for option in poll.options}
    if not answers:
        raise ValidationError(str(_l("Answer for at least one of the times.")))
    if not set(answers) <= set(options):
        raise NotFound()
    existing = {
        row.option_id: row
        for row in session.scalars(
            select(PollAnswer).where(
                PollAnswer.user_id == person.id, PollAnswer.option_id.in_(list(options))
            )
        )
    }
    now = utcnow()
    for option_id, answer in answers.items():
        row = existing.get(option_id)
        if row is None:
            session.add(
                PollAnswer(option_id=option_id, user_id=person.id, answer=answer, answered_at=now)
            )
        else:
            row.answer, row.answered_at = answer, now
    access.participant_of(person, poll).answered_at = now
    record(session, "poll.answered", actor=person, object_type="poll", object_id=poll.id)


# Picking and cancelling --------------------------------------------------------------------------


def _option(poll: Poll, option_id: int) -> PollOption:
    option = next((o for o in poll.options if o.id == option_id), None)
    if option is None:
        raise NotFound()
    return option


def meeting_details(poll: Poll, option: PollOption) -> meetings.MeetingDetails:
    """The meeting of the picked time, as its coordinator would have typed it."""
    zone = ZoneInfo(poll.timezone)
    start, end = option.starts_at.astimezone(zone), option.ends_at.astimezone(zone)
    return meetings.MeetingDetails(
        title_en=poll.title_en,
        title_es=poll.title_es,
        description_md="",
        start_local=start.replace(tzinfo=None),
        end_local=end.replace(tzinfo=None),
        timezone=poll.timezone,
        place=poll.place,
        video_url="",
        tlp=poll.tlp,
        start_fold=start.fold,
        end_fold=end.fold,
    )


def pick_time(
    session: Session,
    actor: User,
    poll: Poll,
    option_id: int,
    confirm_off_hours: bool | str = False,
) -> Meeting:
    """Schedule the group's meeting at the picked time (invitations as usual), close the poll
    and tell the people asked."""
    require_manager(actor, poll.working_group)
    require_open(poll)
    option = _option(poll, option_id)
    if is_past(option):
        raise ValidationError(
            str(_l("This time is already past: choose a time to come.")), field="option_id"
        )
    meeting = meetings.schedule_meeting(
        session,
        actor,
        poll.working_group,
        meeting_details(poll, option),
        confirm_off_hours=confirm_off_hours,
    )
    option.is_chosen = True
    poll.status = PollStatus.CLOSED
    poll.closed_at = utcnow()
    poll.meeting = meeting
    session.flush()
    notify.poll_closed(session, poll, option)
    record(
        session,
        "poll.closed",
        actor=actor,
        object_type="poll",
        object_id=poll.id,
        meeting_id=meeting.id,
    )
    return meeting


def cancel_poll(session: Session, actor: User, poll: Poll) -> None:
    require_manager(actor, poll.working_group)
    require_open(poll)
    poll.status = PollStatus.CANCELLED
    poll.closed_at = utcnow()
    session.flush()
    notify.poll_cancelled(session, poll)
    record(session, "poll.cancelled", actor=actor, object_type="poll", object_id=poll.id)

"""Agenda, invitees, replies and attendance of a meeting."""

from collections import Counter
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import Party, User
from portal.audit.services import record
from portal.core import past_events
from portal.core.db import utcnow
from portal.core.errors import Forbidden, NotFound, ValidationError
from portal.meetings import access, pending
from portal.meetings import notifications as notify
from portal.meetings.models import AgendaItem, Attendance, Invitee, Meeting, Reply
from portal.meetings.services import require_manager

# Agenda --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaEntry:
    """`title` is the English version, `title_es` the Spanish one: at least one is written."""

    title: str
    presenter: str
    planned_minutes: int | None
    title_es: str = ""


def add_agenda_item(
    session: Session, actor: User, meeting: Meeting, entry: AgendaEntry
) -> AgendaItem:
    require_manager(actor, meeting.working_group)
    if not (entry.title.strip() or entry.title_es.strip()):
        message = _l("Write the agenda item in English, in Spanish or in both.")
        raise ValidationError(str(message), field="title")
    position = max((item.position for item in meeting.agenda), default=0) + 1
    item = AgendaItem(
        position=position,
        title_en=entry.title.strip(),
        title_es=entry.title_es.strip(),
        presenter=entry.presenter.strip(),
        planned_minutes=entry.planned_minutes,
    )
    meeting.agenda.append(item)
    record(
        session, "meeting.agenda_added", actor=actor, object_type="meeting", object_id=meeting.id
    )
    return item


def agenda_item(meeting: Meeting, item_id: int) -> AgendaItem:
    """The meeting's agenda item, 404 when it has no such item."""
    item = next((i for i in meeting.agenda if i.id == item_id), None)
    if item is None:
        raise NotFound()
    return item


def remove_agenda_item(session: Session, actor: User, meeting: Meeting, item_id: int) -> None:
    require_manager(actor, meeting.working_group)
    meeting.agenda.remove(agenda_item(meeting, item_id))
    _renumber(meeting)
    record(
        session, "meeting.agenda_removed", actor=actor, object_type="meeting", object_id=meeting.id
    )


def move_agenda_item(
    session: Session, actor: User, meeting: Meeting, item_id: int, up: bool
) -> None:
    require_manager(actor, meeting.working_group)
    items = list(meeting.agenda)
    index = items.index(agenda_item(meeting, item_id))
    other = index - 1 if up else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
        for position, item in enumerate(items, start=1):
            item.position = position


def _renumber(meeting: Meeting) -> None:
    for position, item in enumerate(sorted(meeting.agenda, key=lambda i: i.position), start=1):
        item.position = position


# Invitees ------------------------------------------------------------------------------


def add_invitee(session: Session, actor: User, meeting: Meeting, person: User | None) -> Invitee:
    require_manager(actor, meeting.working_group)
    if person is None or not access.can_be_invited(person, meeting.working_group):
        raise ValidationError(str(_l("Choose a person from the list.")), field="user_id")
    pending.complete_for(session, meeting)
    if any(i.user_id == person.id for i in meeting.invitees):
        raise ValidationError(str(_l("This person is already invited.")), field="user_id")
    invitee = Invitee(user=person)
    meeting.invitees.append(invitee)
    session.flush()
    if not past_events.is_over(meeting):  # nobody is invited to what has already happened
        notify.invitee_added(session, meeting, invitee)
    record(
        session,
        "meeting.invitee_added",
        actor=actor,
        object_type="meeting",
        object_id=meeting.id,
        user_id=person.id,
    )
    return invitee


def invitee_of(meeting: Meeting, invitee_id: int) -> Invitee:
    """The meeting's invitee, 404 when it has no such invitee."""
    invitee = next((i for i in meeting.invitees if i.id == invitee_id), None)
    if invitee is None:
        raise NotFound()
    return invitee


def remove_invitee(session: Session, actor: User, meeting: Meeting, invitee_id: int) -> None:
    require_manager(actor, meeting.working_group)
    pending.complete_for(session, meeting)
    invitee = invitee_of(meeting, invitee_id)
    notify.invitee_removed(session, meeting, invitee)
    meeting.invitees.remove(invitee)
    record(
        session,
        "meeting.invitee_removed",
        actor=actor,
        object_type="meeting",
        object_id=meeting.id,
        user_id=invitee.user_id,
    )


# Replies ----------------------------------------------------------------------------------


def own_invitation(meeting: Meeting, user: User) -> Invitee | None:
    return next((i for i in meeting.invitees if i.user_id == user.id), None)


def _own_later_invitations(session: Session, meeting: Meeting, user: User) -> list[Invitee]:
    """The user's invitations to the later meetings of the series not cancelled: one statement
    (not each meeting's invitations read, 500 each for a group of 500)."""
    later = [
        m.id
        for m in meeting.series.meetings
        if m.original_start_local > meeting.original_start_local and not m.is_cancelled
    ]
    if not later:
        return []
    mine = select(Invitee).where(Invitee.user_id == user.id, Invitee.meeting_id.in_(later))
    return list(session.scalars(mine.order_by(Invitee.meeting_id)))


def reply(
    session: Session,
    actor: User,
    meeting: Meeting,
    answer: Reply,
    comment: str,
    *,
    following: bool = False,
) -> Invitee:
    """The invitee's own answer; with `following`, for the later meetings of the series too."""
    pending.complete_for(session, meeting)
    invitee = own_invitation(meeting, actor)
    if invitee is None:
        raise Forbidden(str(_l("Only the people invited can reply.")))
    if meeting.is_cancelled:
        raise ValidationError(str(_l("This meeting has been cancelled.")))
    past_events.require_replies_open(meeting)
    if answer == Reply.NEEDS_ACTION:
        raise ValidationError(str(_l("Choose accept, tentative or decline.")), field="reply")
    answered = [invitee]
    if following and meeting.series is not None:
        answered += _own_later_invitations(session, meeting, actor)
    for each in answered:
        each.reply = answer
        each.comment = comment.strip()
        each.replied_at = utcnow()
        each.reconfirm = False
    record(
        session,
        "meeting.replied",
        actor=actor,
        object_type="meeting",
        object_id=meeting.id,
        reply=answer.value,
    )
    return invitee


# Attendance -----------------------------------------------------------------------------


def record_attendance(
    session: Session, actor: User, meeting: Meeting, marks: dict[int, Attendance]
) -> None:
    """Coordinators record who attended, once the meeting has started."""
    require_manager(actor, meeting.working_group)
    if not past_events.has_started(meeting):
        raise ValidationError(str(_l("Attendance can be recorded once the meeting has started.")))
    pending.complete_for(session, meeting)
    by_id = {i.id: i for i in meeting.invitees}
    for invitee_id, mark in marks.items():
        if invitee_id in by_id:
            by_id[invitee_id].attendance = mark
    record(session, "meeting.attendance", actor=actor, object_type="meeting", object_id=meeting.id)


# Counts per delegation --------------------------------------------------------------------


def counts_by_party(meeting: Meeting, field: str) -> list[tuple[Party, Counter]]:
    """Replies or attendance of the invitees, counted per party of the MoU."""
    parties = list(meeting.working_group.mou.parties)
    counts = {party.id: Counter() for party in parties}
    for invitee in meeting.invitees:
        counts.setdefault(invitee.user.party_id, Counter())[getattr(invitee, field)] += 1
    return [(party, counts[party.id]) for party in parties]

"""Demo polls in the Chile–UK working group: one open (some answers in), one closed."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import Role, User
from portal.calendar.localtime import to_utc
from portal.core.db import utcnow
from portal.meetings.models import Meeting
from portal.mous.models import Mou, WorkingGroup
from portal.polls.models import Answer, Poll, PollAnswer, PollOption, PollParticipant, PollStatus
from portal.polls.services import end_of_day

ZONE = "America/Santiago"
OPEN_TITLE = "Binational Working Group: incident exercise planning"
CLOSED_TITLE = "Binational Working Group: quarterly meeting"


def _group(session: Session) -> WorkingGroup | None:
    return session.scalar(
        select(WorkingGroup)
        .join(Mou, Mou.id == WorkingGroup.mou_id)
        .where(WorkingGroup.name_en == "Binational Working Group", Mou.title_en.contains("Kingdom"))
    )


def _options(day, hours: list[int]) -> list[PollOption]:
    options = []
    for offset, hour in enumerate(hours):
        start = to_utc(datetime.combine(day + timedelta(days=offset), time(hour)), ZONE, fold=0)
        options.append(PollOption(starts_at=start, ends_at=start + timedelta(hours=1)))
    return options


def seed_demo_polls(session: Session, users: dict[str, User]) -> None:
    group = _group(session)
    if group is None or session.scalar(select(Poll.id).where(Poll.title_en == OPEN_TITLE)):
        return
    today = datetime.now(ZoneInfo(ZONE)).date()
    people = [m.user for m in group.memberships if m.user.role != Role.OBSERVER]
    organiser = users.get("coordinator.cl@demo.portal")
    open_poll = Poll(
        working_group=group,
        title_en=OPEN_TITLE,
        title_es="Grupo de Trabajo Binacional: planificación del ejercicio de incidentes",
        timezone=ZONE,
        duration_minutes=60,
        expires_on=today + timedelta(days=5),
        expires_at=end_of_day(today + timedelta(days=5), ZONE),
        created_by_id=organiser.id if organiser else None,
        options=_options(today + timedelta(days=10), [9, 10, 11]),
        participants=[PollParticipant(user=person) for person in people],
    )
    session.add(open_poll)
    session.flush()
    answered = [p for p in open_poll.participants if p.user.email == "coordinator.gb@demo.portal"]
    for participant in answered:
        participant.answered_at = utcnow()
        for option, answer in zip(
            open_poll.options, (Answer.YES, Answer.IF_NEED_BE, Answer.NO), strict=True
        ):
            session.add(PollAnswer(option=option, user=participant.user, answer=answer))
    past_day = today - timedelta(days=30)
    closed = Poll(
        working_group=group,
        title_en=CLOSED_TITLE,
        title_es="Grupo de Trabajo Binacional: reunión trimestral",
        timezone=ZONE,
        duration_minutes=90,
        expires_on=past_day,
        expires_at=end_of_day(past_day, ZONE),
        status=PollStatus.CLOSED,
        closed_at=end_of_day(past_day, ZONE),
        created_at=end_of_day(past_day - timedelta(days=5), ZONE),
        created_by_id=organiser.id if organiser else None,
        options=_options(today + timedelta(days=7), [10, 12]),
        participants=[
            PollParticipant(user=person, answered_at=end_of_day(past_day, ZONE))
            for person in people
        ],
        meeting=session.scalar(
            select(Meeting).where(Meeting.uid == "demo-binational-next@demo.portal")
        ),
    )
    closed.options[0].is_chosen = True
    session.add(closed)
    session.flush()
    for participant in closed.participants:
        session.add(PollAnswer(option=closed.options[0], user=participant.user, answer=Answer.YES))

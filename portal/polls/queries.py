"""Reading polls: one as a person may see it, a group's list, the answers by delegation."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import NamedTuple

from sqlalchemy import Select, and_, bindparam, exists, select
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from portal.accounts.models import Party, Role, User
from portal.core.access import ParametricViewer, viewer_parameters
from portal.core.db import utcnow
from portal.core.errors import Denied, NotFound
from portal.core.together import Read
from portal.mous.models import Mou, WorkingGroup
from portal.polls import access
from portal.polls.models import (
    Answer,
    Poll,
    PollAnswer,
    PollOption,
    PollParticipant,
    PollStatus,
)
from portal.web.attention import Waiting, read_waiting, waiting_statement
from portal.web.pagination import Page, counted_page_statements, read_counted_page

# What the poll page and the rules read: its group's MoU and parties and its options (joined to
# its row: a few of each), the options' answers with who gave them, its participants with their
# party. Not the group's memberships: whether the reader sees the poll is asked in SQL
# (get_poll).
_POLL_LOADED = (
    joinedload(Poll.working_group).joinedload(WorkingGroup.mou).joinedload(Mou.parties),
    joinedload(Poll.options).selectinload(PollOption.answers).joinedload(PollAnswer.user),
    selectinload(Poll.participants).joinedload(PollParticipant.user).joinedload(User.party),
)


def load_poll(session: Session, poll_id: int) -> Poll | None:
    return session.get(Poll, poll_id, options=_POLL_LOADED)


def get_poll(session: Session, actor: User, poll_id: int) -> Poll:
    """The poll if the actor may see it; whether they may (access.visible_polls_clause, the
    rule of can_view_poll) is read with it rather than by loading every membership of its
    group to find the actor's."""
    parameters = {"poll_id": poll_id, **viewer_parameters(actor)}
    row = session.execute(_poll_statement(actor.role), parameters).unique().first()
    if row is None:
        raise NotFound()
    if not row.visible:
        raise Denied("poll", poll_id)
    return row.Poll


class PollTime(NamedTuple):
    """A proposed time as the poll page's facts hold it (services.is_past reads it)."""

    id: int
    starts_at: datetime


@dataclass(frozen=True)
class PollFacts:
    """What the poll page reads for each reader, in one statement (get_poll_facts): the
    poll's version and what decides its page, the rules' facts, its times by start, the
    reader's own answers by time."""

    id: int
    page_version: int
    status: PollStatus
    expires_at: datetime
    title_en: str
    title_es: str
    asked: bool  # the reader is among the people asked
    reads_mou: bool  # the reader reads the group's MoU
    options: tuple[PollTime, ...]  # by start
    answers: dict[int, str]


def get_poll_facts(session: Session, actor: User, poll_id: int) -> PollFacts:
    """The poll page's facts for the actor, refused as get_poll refuses."""
    parameters = {"poll_id": poll_id, **viewer_parameters(actor)}
    rows = session.execute(_facts_statement(actor.role), parameters).all()
    if not rows:
        raise NotFound()
    first = rows[0]
    if not first.visible:
        raise Denied("poll", poll_id)
    return PollFacts(
        id=first.id,
        page_version=first.page_version,
        status=first.status,
        expires_at=first.expires_at,
        title_en=first.title_en,
        title_es=first.title_es,
        asked=first.asked,
        reads_mou=first.reads_mou,
        options=tuple(PollTime(row.option_id, row.starts_at) for row in rows if row.option_id),
        answers={row.option_id: row.answer.value for row in rows if row.answer is not None},
    )


@cache
def _facts_statement(role: Role) -> Select:
    """Built once per role, as _poll_statement: one row per time."""
    viewer = ParametricViewer(role)
    mine = aliased(PollAnswer, name="own_answer")
    asked = exists().where(PollParticipant.poll_id == Poll.id, PollParticipant.user_id == viewer.id)
    return (
        select(
            Poll.id,
            Poll.page_version,
            Poll.status,
            Poll.expires_at,
            Poll.title_en,
            Poll.title_es,
            access.visible_polls_clause(viewer).label("visible"),
            asked.label("asked"),
            access.reads_mou_clause(viewer).label("reads_mou"),
            PollOption.id.label("option_id"),
            PollOption.starts_at,
            mine.answer,
        )
        .outerjoin(PollOption, PollOption.poll_id == Poll.id)
        .outerjoin(mine, and_(mine.option_id == PollOption.id, mine.user_id == viewer.id))
        .where(Poll.id == bindparam("poll_id"))
        .order_by(PollOption.starts_at)
    )


@cache
def _poll_statement(role: Role) -> Select:
    """Built once per role: building the rule's clause costs more than running it."""
    viewer = ParametricViewer(role)
    return (
        select(Poll, access.visible_polls_clause(viewer).label("visible"))
        .where(Poll.id == bindparam("poll_id"))
        .options(*_POLL_LOADED)
    )


def group_polls(session: Session, group: WorkingGroup, *, page: int) -> Page:
    """The polls of a group its reader may see (mous.services.get_working_group), newest
    first, as rows of what the list shows, paged, with their count in one statement: the
    reader sees every poll of a group they see (access.sees_every_poll_of)."""
    return read_counted_page(session, _group_polls_statements(), {"group_id": group.id}, page=page)


@cache
def _group_polls_statements() -> tuple:
    """Built once: building it costs more than running it."""
    query = (
        select(
            Poll.id,
            Poll.title_en,
            Poll.title_es,
            Poll.status,
            Poll.expires_at,
            Poll.expires_on,
            Poll.timezone,
        )
        .where(Poll.working_group_id == bindparam("group_id"))
        .order_by(Poll.created_at.desc(), Poll.id.desc())
    )
    return counted_page_statements(query)


def open_group_polls(actor: User, group: WorkingGroup) -> Read | None:
    """The working group page's panel: the open polls not yet expired, as rows of what it
    shows (one that expires is no longer among them); None for whoever sees none."""
    if not access.sees_every_poll_of(actor, group):
        return None
    return Read(_open_group_polls_query(), {"group_id": group.id, "now": utcnow()})


@cache
def _open_group_polls_query() -> Select:
    """Built once: building it costs more than running it."""
    return (
        select(Poll.id, Poll.title_en, Poll.title_es, Poll.expires_on, Poll.timezone)
        .where(
            Poll.working_group_id == bindparam("group_id"),
            Poll.status == PollStatus.OPEN,
            Poll.expires_at > bindparam("now"),
        )
        .order_by(Poll.expires_at)
        .limit(5)
    )


def polls_awaiting_answer(session: Session, reader: User) -> Waiting:
    """Open polls not expired the reader was asked and has not answered; the first closes
    soonest."""
    parameters = {**viewer_parameters(reader), "now": utcnow()}
    return read_waiting(session, _awaiting_answer(reader.role), parameters)


@cache
def _awaiting_answer(role: Role):
    """Built once per role (as the dashboard's other statements): building one costs more
    than running it."""
    reader = ParametricViewer(role)
    statement = (
        select(Poll.id)
        .join(PollParticipant, PollParticipant.poll_id == Poll.id)
        .where(
            PollParticipant.user_id == reader.id,
            PollParticipant.answered_at.is_(None),
            Poll.status == PollStatus.OPEN,
            Poll.expires_at > bindparam("now", type_=Poll.expires_at.type),
            access.visible_polls_clause(reader),
        )
        .order_by(Poll.expires_at, Poll.id)
    )
    return waiting_statement(statement)


# Answers by delegation -------------------------------------------------------------------------


@dataclass(frozen=True)
class DelegationAnswers:
    party: Party | None
    names: dict[Answer, list[str]]


@dataclass(frozen=True)
class OptionResult:
    option: PollOption
    counts: dict[Answer, int]
    delegations: list[DelegationAnswers]
    past: bool


@dataclass(frozen=True)
class Results:
    options: list[OptionResult]
    not_answered: list[tuple[Party | None, list[str]]]


def _party_order(poll: Poll) -> list[Party]:
    return list(poll.working_group.mou.parties)


def results(poll: Poll, now: datetime | None = None) -> Results:
    """For each time: how many said what, and who, by delegation; and who has not answered
    (a time is past if it starts by `now`)."""
    asked = {p.user_id for p in poll.participants}
    parties = _party_order(poll)
    now = now or utcnow()
    rows = []
    for option in poll.options:
        by_party: dict[int | None, dict[Answer, list[str]]] = defaultdict(
            lambda: {a: [] for a in Answer}
        )
        counts = dict.fromkeys(Answer, 0)
        for answer in option.answers:
            if answer.user_id not in asked:
                continue
            counts[answer.answer] += 1
            by_party[answer.user.party_id][answer.answer].append(answer.user.name)
        delegations = [
            DelegationAnswers(party, {a: sorted(n) for a, n in by_party[party.id].items()})
            for party in parties
            if party.id in by_party
        ]
        rows.append(OptionResult(option, counts, delegations, option.starts_at <= now))
    waiting: dict[int | None, list[str]] = defaultdict(list)
    for participant in poll.participants:
        if participant.answered_at is None:
            waiting[participant.user.party_id].append(participant.user.name)
    not_answered = [(p, sorted(waiting[p.id])) for p in parties if waiting.get(p.id)]
    return Results(rows, not_answered)


def current_answers(poll: Poll, user: User) -> dict[int, str]:
    return {
        option.id: answer.answer.value
        for option in poll.options
        for answer in option.answers
        if answer.user_id == user.id
    }

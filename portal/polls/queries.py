"""Reading polls: one as a person may see it, a group's list, the answers by delegation."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Row, Select, bindparam, exists, select
from sqlalchemy.orm import Session, joinedload, selectinload

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
    return _visible(session, actor, _poll_statement(actor.role), poll_id).Poll


# What the poll page reads for each reader: the poll with its group's MoU and parties and its
# options, and whether the reader was asked; the answers and participants only to draw its
# shared part anew (load_results).
_PAGE_LOADED = (
    joinedload(Poll.working_group).joinedload(WorkingGroup.mou).joinedload(Mou.parties),
    joinedload(Poll.options),
)


@dataclass(frozen=True)
class PollPage:
    poll: Poll
    asked: bool  # whether the reader is among the people asked
    answers: dict[int, str]  # the reader's answers by option id


def get_poll_page(session: Session, actor: User, poll_id: int) -> PollPage:
    """The poll as its page needs it, refused as get_poll refuses; the reader's own answers
    in a second statement, for the people asked only."""
    row = _visible(session, actor, _page_statement(actor.role), poll_id)
    answers = {}
    if row.asked:
        parameters = {"poll_id": poll_id, "user_id": actor.id}
        answers = {option: answer.value for option, answer in session.execute(_ANSWERS, parameters)}
    return PollPage(row.Poll, row.asked, answers)


def load_results(session: Session, poll: Poll) -> None:
    """Load what the shared part shows of a poll read by get_poll_page: every answer with
    who gave it, every participant with their party."""
    statement = (
        select(Poll)
        .where(Poll.id == poll.id)
        .options(*_POLL_LOADED)
        .execution_options(populate_existing=True)
    )
    session.execute(statement).unique().one()


def _visible(session: Session, actor: User, statement: Select, poll_id: int) -> Row:
    parameters = {"poll_id": poll_id, **viewer_parameters(actor)}
    row = session.execute(statement, parameters).unique().first()
    if row is None:
        raise NotFound()
    if not row.visible:
        raise Denied("poll", poll_id)
    return row


@cache
def _poll_statement(role: Role) -> Select:
    """Built once per role: building the rule's clause costs more than running it."""
    viewer = ParametricViewer(role)
    return (
        select(Poll, access.visible_polls_clause(viewer).label("visible"))
        .where(Poll.id == bindparam("poll_id"))
        .options(*_POLL_LOADED)
    )


@cache
def _page_statement(role: Role) -> Select:
    """Built once per role, as _poll_statement."""
    viewer = ParametricViewer(role)
    asked = exists().where(PollParticipant.poll_id == Poll.id, PollParticipant.user_id == viewer.id)
    return (
        select(Poll, access.visible_polls_clause(viewer).label("visible"), asked.label("asked"))
        .where(Poll.id == bindparam("poll_id"))
        .options(*_PAGE_LOADED)
    )


_ANSWERS = (
    select(PollAnswer.option_id, PollAnswer.answer)
    .join(PollOption, PollOption.id == PollAnswer.option_id)
    .where(PollOption.poll_id == bindparam("poll_id"), PollAnswer.user_id == bindparam("user_id"))
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

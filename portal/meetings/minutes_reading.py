"""Reading the minutes: what the panel of a meeting's minutes shows, and each viewer's buttons.

The buttons follow the rules of access.py, from loaded objects (minutes_buttons) or from
the facts the reading page reads in its one statement (buttons_for).
"""

from functools import cache
from types import SimpleNamespace

from sqlalchemy import Select, bindparam, literal, literal_column, select, true
from sqlalchemy.orm import Session, aliased

from portal.accounts.models import Party, Role, User
from portal.core.access import role_clause, viewer_parameters
from portal.core.db import written, written_limit
from portal.meetings import access
from portal.meetings.minutes import current_approval, state_label
from portal.meetings.models import (
    Meeting,
    Minutes,
    MinutesReopening,
    MinutesRevision,
    MinutesState,
)
from portal.mous.access import can_view_mou, is_co_chair


def previous_minutes_for_approval(session: Session, actor: User, meeting: Meeting):
    """The latest earlier meeting of the group whose minutes await approval, if visible, as a
    row of what the minutes' panel shows of it (id, titles, start)."""
    parameters = {
        "group_id": meeting.working_group_id,
        "starts_at": meeting.starts_at,
        **viewer_parameters(actor),
    }
    return session.execute(_previous_statement(actor.role), parameters).first()


@cache
def _previous_statement(role: Role) -> Select:
    """Built once per role, run with the viewer's id and party: building the visibility rule
    costs more than running it."""
    return _previous(role, _circulated(bindparam("group_id"), bindparam("starts_at")))


def awaiting_approval_in_group(session: Session, actor: User, group_id: int) -> tuple:
    """Every meeting of the group whose minutes await approval that the actor may see, as
    rows of what the minutes' panel shows of them, latest first (a handful at most): the
    previous one of any meeting of the group is the first that starts before it."""
    parameters = {"group_id": group_id, **viewer_parameters(actor)}
    return tuple(session.execute(_in_group_statement(actor.role), parameters))


@cache
def _in_group_statement(role: Role) -> Select:
    return _awaiting(role, _circulated(bindparam("group_id")))


def _circulated(group, before=None) -> Select:
    """The group's meetings (those starting before `before`) whose minutes await approval."""
    statement = (
        select(Meeting.id)
        .join(Minutes, Minutes.meeting_id == Meeting.id)
        .where(
            Meeting.working_group_id == group,
            Minutes.state == written(MinutesState.CIRCULATED),
        )
    )
    return statement if before is None else statement.where(Meeting.starts_at < before)


def _previous(role: Role, earlier: Select) -> Select:
    return _awaiting(role, earlier).limit(written_limit(1))


def _awaiting(role: Role, circulated: Select) -> Select:
    # OFFSET 0 keeps the meetings a subquery of their own: the viewer's rule is then asked of
    # those few, not of every meeting in the group's history.
    fenced = circulated.offset(literal_column("0"))
    return (
        select(Meeting.id, Meeting.title_en, Meeting.title_es, Meeting.starts_at)
        .where(Meeting.id.in_(fenced), role_clause(access.visible_meetings_clause, role))
        .order_by(Meeting.starts_at.desc())
    )


def minutes_summary(session: Session, actor: User | None, meeting: Meeting) -> dict:
    """What templates/meetings/_minutes_panel.html shows about a meeting's minutes.

    With no actor, what every reader sees: no button to edit, circulate or approve.
    """
    minutes = meeting.minutes
    state = minutes.state if minutes is not None else None
    last_revision = last_reopening = None
    if minutes is not None:
        last_revision, last_reopening = _latest(session, minutes)
    approvals = [
        {"party": party, "approval": current_approval(minutes, party.id) if minutes else None}
        for party in meeting.working_group.mou.parties
    ]
    may_act = actor is not None and (
        access.can_edit_minutes(actor, meeting) or access.can_approve_minutes(actor, meeting)
    )
    return {
        "minutes": minutes,
        "state": state,
        "state_label": state_label(state),
        "tlp_label": meeting.tlp.label,
        "revision_number": minutes.revision_number if minutes is not None else 0,
        "last_revision": last_revision,
        "approvals": approvals,
        **minutes_buttons(actor, meeting),
        "last_reopening": last_reopening,
        # Only the people who can act on earlier minutes are pointed at them (and the
        # query, which walks the group's history, is spared on everybody else's page).
        "previous": previous_minutes_for_approval(session, actor, meeting) if may_act else None,
    }


def _latest(session: Session, minutes: Minutes) -> tuple:
    """The minutes' current revision (when and by whom) and their last reopening (when, by
    whom of which party, after which revision, why), either None, in one statement."""
    parameters = {"minutes_id": minutes.id, "number": minutes.revision_number}
    row = session.execute(_latest_statement(), parameters).one()
    revision = reopening = None
    if row.revision_at is not None:
        revision = SimpleNamespace(
            created_at=row.revision_at, author=SimpleNamespace(name=row.author_name)
        )
    if row.reopened_at is not None:
        reopening = SimpleNamespace(
            reopened_at=row.reopened_at,
            revision_number=row.reopened_revision,
            reason=row.reason,
            user=SimpleNamespace(name=row.reopener_name),
            party=SimpleNamespace(code=row.reopener_party),
        )
    return revision, reopening


@cache
def _latest_statement() -> Select:
    """Built once: one row, its parts empty where there is no such revision or reopening."""
    author, reopener = aliased(User), aliased(User)
    revision = (
        select(MinutesRevision.created_at.label("revision_at"), author.name.label("author_name"))
        .join(author, author.id == MinutesRevision.author_id)
        .where(
            MinutesRevision.minutes_id == bindparam("minutes_id"),
            MinutesRevision.number == bindparam("number"),
        )
        .limit(1)
        .subquery()
    )
    reopening = (
        select(
            MinutesReopening.reopened_at,
            MinutesReopening.revision_number.label("reopened_revision"),
            MinutesReopening.reason,
            reopener.name.label("reopener_name"),
            Party.code.label("reopener_party"),
        )
        .join(reopener, reopener.id == MinutesReopening.user_id)
        .join(Party, Party.id == MinutesReopening.party_id)
        .where(MinutesReopening.minutes_id == bindparam("minutes_id"))
        .order_by(MinutesReopening.id.desc())
        .limit(1)
        .subquery()
    )
    one = select(literal(1).label("one")).subquery()
    return (
        select(revision, reopening)
        .select_from(one)
        .outerjoin(revision, true())
        .outerjoin(reopening, true())
    )


def minutes_buttons(actor: User | None, meeting: Meeting) -> dict:
    """The minutes' buttons the actor may use (templates/meetings/_minutes_actions.html), from
    the group's parties and memberships and the minutes' approvals: no statement of its own."""
    minutes = meeting.minutes
    if actor is None:
        return dict.fromkeys(("can_edit", "can_circulate", "can_reopen", "can_approve"), False)
    group = meeting.working_group
    return buttons_for(
        actor,
        minutes.state if minutes is not None else None,
        co_chair=is_co_chair(actor, group),
        reads_mou=can_view_mou(actor, group.mou),
        own_party=any(p.id == actor.party_id for p in group.mou.parties),
        approved=minutes is not None and current_approval(minutes, actor.party_id) is not None,
    )


def buttons_for(actor: User, state, *, co_chair, reads_mou, own_party, approved) -> dict:
    """minutes_buttons from facts: the co-chair and MoU rules (access.py), whether the actor's
    party is the MoU's and has approved the current revision (the reading page reads these
    in its one statement)."""
    can_edit = (
        access.edits_minutes(actor, co_chair=co_chair, reads_mou=reads_mou)
        and state != MinutesState.APPROVED
    )
    approves = access.approves_minutes(co_chair=co_chair, reads_mou=reads_mou)
    return {
        "can_edit": can_edit,
        "can_circulate": state == MinutesState.DRAFT and can_edit,
        "can_reopen": state == MinutesState.APPROVED and approves,
        "can_approve": state == MinutesState.CIRCULATED and own_party and not approved and approves,
    }

"""Reading the minutes: what the panel of a meeting's minutes shows, and each viewer's buttons.

The buttons follow the rules of access.py, from loaded objects (minutes_buttons) or from
the facts the reading page reads in its one statement (buttons_for).
"""

from sqlalchemy import select
from sqlalchemy.orm import Session, defer, joinedload

from portal.accounts.models import User
from portal.meetings import access
from portal.meetings.minutes import current_approval, state_label
from portal.meetings.minutes_history import minutes_reopenings
from portal.meetings.models import Meeting, Minutes, MinutesRevision, MinutesState
from portal.mous.access import can_view_mou, is_co_chair


def previous_minutes_for_approval(
    session: Session, actor: User, meeting: Meeting
) -> Meeting | None:
    """The latest earlier meeting of the group whose minutes await approval, if visible."""
    return session.scalar(
        select(Meeting)
        .join(Minutes, Minutes.meeting_id == Meeting.id)
        .where(
            Meeting.working_group_id == meeting.working_group_id,
            Meeting.starts_at < meeting.starts_at,
            Minutes.state == MinutesState.CIRCULATED,
            access.visible_meetings_clause(actor),
        )
        .order_by(Meeting.starts_at.desc())
        .limit(1)
    )


def minutes_summary(session: Session, actor: User | None, meeting: Meeting) -> dict:
    """What templates/meetings/_minutes_panel.html shows about a meeting's minutes.

    With no actor, what every reader sees: no button to edit, circulate or approve.
    """
    minutes = meeting.minutes
    state = minutes.state if minutes is not None else None
    last_revision = None
    if minutes is not None:
        last_revision = session.scalar(
            select(MinutesRevision)
            .where(
                MinutesRevision.minutes_id == minutes.id,
                MinutesRevision.number == minutes.revision_number,
            )
            .options(defer(MinutesRevision.body_md), joinedload(MinutesRevision.author))
        )
    approvals = [
        {"party": party, "approval": current_approval(minutes, party.id) if minutes else None}
        for party in meeting.working_group.mou.parties
    ]
    may_act = actor is not None and (
        access.can_edit_minutes(actor, meeting) or access.can_approve_minutes(actor, meeting)
    )
    reopenings = minutes_reopenings(session, minutes)
    return {
        "minutes": minutes,
        "state": state,
        "state_label": state_label(state),
        "tlp_label": meeting.tlp.label,
        "revision_number": minutes.revision_number if minutes is not None else 0,
        "last_revision": last_revision,
        "approvals": approvals,
        **minutes_buttons(actor, meeting),
        "last_reopening": reopenings[0] if reopenings else None,
        # Only the people who can act on earlier minutes are pointed at them (and the
        # query, which walks the group's history, is spared on everybody else's page).
        "previous": previous_minutes_for_approval(session, actor, meeting) if may_act else None,
    }


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

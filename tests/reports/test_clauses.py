"""The report's clauses for one MoU's meetings and action items keep exactly what the Python
predicates let each actor see: the groups they read, and in the others only the meetings
they are invited to and the items they own."""

from datetime import date, timedelta

from sqlalchemy import select

from portal.accounts.models import User
from portal.actions.access import actions_of_mou_clause, can_view_action
from portal.actions.models import ActionItem
from portal.core.db import utcnow
from portal.meetings.access import can_view_meeting, meetings_of_mou_clause
from portal.meetings.models import Meeting
from portal.mous.models import Mou, WorkingGroup
from tests.factories import make_action, make_group, make_meeting
from tests.helpers.matrix import ACTORS


def test_the_report_clauses_agree_with_the_predicates_for_every_actor(world, session):
    other_group = make_group(session, world.mou, members=[(world.coordinator_gb, True)])
    soon = utcnow() + timedelta(days=2)
    make_meeting(session, world.group, soon, invitees=[world.member_cl])
    make_meeting(session, other_group, soon, invitees=[world.member_cl_outside_group])
    make_meeting(session, other_group, soon)
    make_meeting(session, world.group_cl_co, soon, invitees=[world.member_co])
    due = date.today() + timedelta(days=5)
    make_action(session, world.group, [world.member_cl], due)
    make_action(session, other_group, [world.member_cl_outside_group], due)
    make_action(session, other_group, [world.coordinator_gb], due)
    make_action(session, world.group_cl_co, [world.member_co], due)
    session.commit()
    mous = session.scalars(select(Mou)).all()
    meetings = session.scalars(select(Meeting)).all()
    items = session.scalars(select(ActionItem)).all()
    counted = {}
    for actor in ACTORS[1:]:
        user = session.get(User, getattr(world, actor).id)
        for mou in mous:
            groups = {
                g.id
                for g in session.scalars(select(WorkingGroup).where(WorkingGroup.mou_id == mou.id))
            }
            kept = set(
                session.scalars(select(Meeting.id).where(meetings_of_mou_clause(user, mou.id)))
            )
            seen = {
                m.id for m in meetings if m.working_group_id in groups and can_view_meeting(user, m)
            }
            assert kept == seen, (actor, mou.id)
            counted[(actor, mou.id, "meetings")] = len(kept)
            kept = set(
                session.scalars(select(ActionItem.id).where(actions_of_mou_clause(user, mou.id)))
            )
            seen = {
                i.id for i in items if i.working_group_id in groups and can_view_action(user, i)
            }
            assert kept == seen, (actor, mou.id)
            counted[(actor, mou.id, "items")] = len(kept)
    # Outside the group: only what they are invited to or own; a reader of the party: all.
    mou = world.mou.id
    assert counted[("member_cl_outside_group", mou, "meetings")] == 1
    assert counted[("member_cl_outside_group", mou, "items")] == 1
    assert counted[("observer_gb", mou, "meetings")] == 3
    assert counted[("member_co", mou, "meetings")] == counted[("external_cl", mou, "items")] == 0

"""The permission matrix for meetings: every actor on every meeting route, and its effect.

The meeting belongs to the Chile–UK working group; its invitees are the group's members
(coordinator_cl, coordinator_gb, member_cl, member_gb). member_cl_outside_group is a
Chilean member who is neither in the group nor invited.
"""

from datetime import UTC, datetime, timedelta

import pytest

from portal.core.db import utcnow
from portal.meetings.models import AgendaItem, Invitee, Meeting, MeetingStatus, Reply
from tests import factories
from tests.helpers.matrix import (
    LOGIN,
    Action,
    assert_actions,
    assert_pages,
    each_actor,
    exists_row,
    gone_row,
)

# Columns: anon, admin, coord CL, coord GB, member CL (in group), member CL outside,
#          observer GB, external CL, member CO, coordinator CO.
# fmt: off
PAGES = {
    "/working-groups/{group}/meetings":        (LOGIN, 200, 200, 200, 200, 404, 200, 404, 404, 404),
    "/working-groups/{group}/meetings/new":    (LOGIN, 200, 200, 200, 403, 404, 403, 404, 404, 404),
    "/meetings/{meeting}":                     (LOGIN, 200, 200, 200, 200, 404, 200, 404, 404, 404),
    "/meetings/{meeting}/edit":                (LOGIN, 200, 200, 200, 403, 404, 403, 404, 404, 404),
    "/meetings/{meeting}/manage":              (LOGIN, 200, 200, 200, 403, 404, 403, 404, 404, 404),
    "/meetings/{past_meeting}/manage":         (LOGIN, 200, 200, 200, 403, 404, 403, 404, 404, 404),
    "/meetings/{meeting}/calendar.ics":        (LOGIN, 200, 200, 200, 200, 404, 200, 404, 404, 404),
    "/meetings/{meeting}/minutes":             (LOGIN, 200, 200, 200, 200, 404, 200, 404, 404, 404),
    "/meetings/{meeting}/minutes/revisions":   (LOGIN, 200, 200, 200, 200, 404, 200, 404, 404, 404),
    "/calendar":                               (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200, 200),
}

ACTION_ANSWERS = {
    "add agenda item":        (LOGIN, 302, 302, 302, 403, 404, 403, 404, 404, 404),
    "remove agenda item":     (LOGIN, 302, 302, 302, 403, 404, 403, 404, 404, 404),
    "invite outside member":  (LOGIN, 302, 302, 302, 403, 404, 403, 404, 404, 404),
    "withdraw member_gb":     (LOGIN, 302, 302, 302, 403, 404, 403, 404, 404, 404),
    "reply accepted":         (LOGIN, 403, 302, 302, 302, 404, 403, 404, 404, 404),
    "record attendance":      (LOGIN, 302, 302, 302, 403, 404, 403, 404, 404, 404),
    "cancel":                 (LOGIN, 302, 302, 302, 403, 404, 403, 404, 404, 404),
}
# fmt: on

ACTIONS = {
    "add agenda item": Action(
        "/meetings/{meeting}/agenda",
        {"agenda-title": "Threat briefing"},
        exists_row(AgendaItem, meeting_id="{meeting}", title="Threat briefing"),
    ),
    "remove agenda item": Action(
        "/meetings/{meeting}/agenda/{item}/remove",
        {"confirmed": "1"},
        gone_row(AgendaItem, "{item}"),
    ),
    "invite outside member": Action(
        "/meetings/{meeting}/invitees",
        {"invitee-user_id": "{member_cl_outside_group}"},
        exists_row(Invitee, meeting_id="{meeting}", user_id="{member_cl_outside_group}"),
    ),
    "withdraw member_gb": Action(
        "/meetings/{meeting}/invitees/{member_gb_invitee}/remove",
        {"confirmed": "1"},
        gone_row(Invitee, "{member_gb_invitee}"),
    ),
    "reply accepted": Action(
        "/meetings/{meeting}/reply",
        {"reply": "accepted"},
        lambda session, ids: (
            session.query(Invitee)
            .filter(Invitee.meeting_id == ids["meeting"], Invitee.reply == Reply.ACCEPTED)
            .count()
            > 0
        ),
    ),
    "record attendance": Action(
        "/meetings/{past_meeting}/attendance",
        {"invitee_{past_invitee}": "present"},
        lambda session, ids: (
            session.get(Invitee, ids["past_invitee"]).attendance.value == "present"
        ),
    ),
    "cancel": Action(
        "/meetings/{meeting}/cancel",
        {"scope": "this", "confirmed": "1"},
        exists_row(Meeting, id="{meeting}", status=MeetingStatus.CANCELLED),
    ),
}


@pytest.fixture
def ids(world, session) -> dict:
    invited = [world.coordinator_cl, world.coordinator_gb, world.member_cl, world.member_gb]
    meeting = factories.make_meeting(
        session, world.group, datetime(2030, 3, 4, 13, tzinfo=UTC), invitees=invited
    )
    meeting.agenda.append(AgendaItem(position=1, title="Welcome"))
    past = factories.make_meeting(
        session, world.group, utcnow() - timedelta(days=1), invitees=[world.member_gb]
    )
    session.flush()
    result = {
        "group": world.group.id,
        "meeting": meeting.id,
        "item": meeting.agenda[0].id,
        "member_cl_outside_group": world.member_cl_outside_group.id,
        "member_gb_invitee": next(
            i.id for i in meeting.invitees if i.user_id == world.member_gb.id
        ),
        "past_meeting": past.id,
        "past_invitee": past.invitees[0].id,
    }
    session.commit()
    return result


@each_actor
def test_meeting_pages(actor, ids, browser_for):
    assert_pages(browser_for, actor, PAGES, ids)


@each_actor
def test_meeting_actions_and_their_effect(actor, ids, browser_for, session):
    assert_actions(browser_for, session, actor, ACTIONS, ACTION_ANSWERS, ids)


def test_every_meeting_action_is_in_the_matrix():
    assert ACTIONS.keys() == ACTION_ANSWERS.keys()


def test_the_feed_and_the_reply_link_answer_404_to_forged_tokens(client):
    assert client.get("/calendar/feed/999-abc.ics").status_code == 404
    assert client.get("/meetings/reply/not-a-token").status_code == 404

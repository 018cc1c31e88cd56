"""The permission matrix for meeting time polls: every actor on every poll route, and its effect.

The polls belong to the Chile–UK working group and ask its members (coordinator_cl,
coordinator_gb, member_cl, member_gb). Who may schedule the group's meetings proposes, picks
and cancels; only the people asked answer; the answer link needs no login but answers for
its one person only (tests/polls/test_answer_links.py).
"""

import pytest

from portal.polls.answer_links import answer_token
from portal.polls.models import Poll, PollAnswer, PollStatus
from tests.helpers.matrix import (
    LOGIN,
    Action,
    assert_actions,
    assert_hidden_like_missing,
    assert_pages,
    each_actor,
    exists_row,
)
from tests.helpers.polls import make_poll, poll_form

# Columns: anon, admin, coord CL, coord GB, member CL (in group), member CL outside,
#          observer GB, external CL, member CO, coordinator CO.
# fmt: off
PAGES = {
    "/working-groups/{group}/polls":     (LOGIN, 200, 200, 200, 200, 404, 200, 404, 404, 404),
    "/working-groups/{group}/polls/new": (LOGIN, 200, 200, 200, 403, 404, 403, 404, 404, 404),
    "/polls/{poll}":                     (LOGIN, 200, 200, 200, 200, 404, 200, 404, 404, 404),
    "/polls/{poll}/cancel":              (LOGIN, 200, 200, 200, 403, 404, 403, 404, 404, 404),
    "/polls/answer/{token}":             (200,   200, 200, 200, 200, 200, 200, 200, 200, 200),
}

ACTION_ANSWERS = {
    "propose":  (LOGIN, 302, 302, 302, 403, 404, 403, 404, 404, 404),
    "answer":   (LOGIN, 403, 302, 302, 302, 404, 403, 404, 404, 404),
    "pick":     (LOGIN, 302, 302, 302, 403, 404, 403, 404, 404, 404),
    "cancel":   (LOGIN, 302, 302, 302, 403, 404, 403, 404, 404, 404),
}
# fmt: on

ACTIONS = {
    "propose": Action(
        "/working-groups/{group}/polls/new",
        poll_form(title_en="Matrix poll"),
        exists_row(Poll, title_en="Matrix poll", working_group_id="{group}"),
    ),
    "answer": Action(
        "/polls/{poll}/answer",
        {"answer-option_{option}": "yes"},
        exists_row(PollAnswer, option_id="{option}"),
    ),
    "pick": Action(
        "/polls/{pick_poll}/pick",
        {"pick-option_id": "{pick_option}"},
        exists_row(Poll, id="{pick_poll}", status=PollStatus.CLOSED),
    ),
    "cancel": Action(
        "/polls/{cancel_poll}/cancel",
        {"confirmed": "1"},
        exists_row(Poll, id="{cancel_poll}", status=PollStatus.CANCELLED),
    ),
}


@pytest.fixture
def ids(app, world, session) -> dict:
    poll = make_poll(session, world)
    to_pick = make_poll(session, world, title_en="To pick")
    to_cancel = make_poll(session, world, title_en="To cancel")
    with app.test_request_context():
        token = answer_token(poll.participants[0])
    result = {
        "group": world.group.id,
        "poll": poll.id,
        "option": poll.options[0].id,
        "pick_poll": to_pick.id,
        "pick_option": to_pick.options[0].id,
        "cancel_poll": to_cancel.id,
        "token": token,
    }
    session.commit()
    return result


@each_actor
def test_poll_pages(actor, ids, browser_for):
    assert_pages(browser_for, actor, PAGES, ids)


@each_actor
def test_poll_changes_and_their_effect(actor, ids, browser_for, session):
    assert_actions(browser_for, session, actor, ACTIONS, ACTION_ANSWERS, ids)


def test_every_poll_change_is_in_the_matrix():
    assert ACTIONS.keys() == ACTION_ANSWERS.keys()


def test_a_denied_poll_looks_exactly_like_a_missing_one(ids, login_as, world):
    pages = ("/polls/{poll}", "/polls/{poll}/cancel")
    assert_hidden_like_missing(login_as(world.member_co), pages, ids, "poll")


@pytest.mark.parametrize("actor", ["member_co", "coordinator_co", "member_cl_outside_group"])
def test_outsiders_never_see_polls_on_the_dashboard(actor, ids, world, login_as):
    page = login_as(getattr(world, actor)).get("/").get_data(as_text=True)
    assert "/polls/" not in page

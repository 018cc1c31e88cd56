"""The permission matrix for action items: every actor on every action item route, and its effect.

The item belongs to the Chile–UK working group and is owned by member_cl; the second item
is owned by member_gb only. The meeting is the group's, its invitees the group's members.
"""

from datetime import UTC, date, datetime, timedelta

import pytest

from portal.actions.models import ActionComment, ActionItem, ActionStatus
from tests import factories
from tests.helpers.matrix import (
    LOGIN,
    Action,
    assert_actions,
    assert_hidden_like_missing,
    assert_pages,
    each_actor,
    exists_row,
)

# Columns: anon, admin, coord CL, coord GB, member CL (in group), member CL outside,
#          observer GB, external CL, member CO, coordinator CO.
# fmt: off
PAGES = {
    "/actions/":                           (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200, 200),
    "/actions/export.csv":                 (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200, 200),
    "/working-groups/{group}/actions/new": (LOGIN, 200, 200, 200, 200, 404, 403, 404, 404, 404),
    "/meetings/{meeting}/actions/new":     (LOGIN, 200, 200, 200, 200, 404, 403, 404, 404, 404),
    "/actions/{item}":                     (LOGIN, 200, 200, 200, 200, 404, 200, 404, 404, 404),
    "/actions/{item}/edit":                (LOGIN, 200, 200, 200, 200, 404, 403, 404, 404, 404),
}

ACTION_ANSWERS = {
    "create":                   (LOGIN, 302, 302, 302, 302, 404, 403, 404, 404, 404),
    "create from meeting":      (LOGIN, 302, 302, 302, 302, 404, 403, 404, 404, 404),
    "edit":                     (LOGIN, 302, 302, 302, 302, 404, 403, 404, 404, 404),
    "start own item":           (LOGIN, 302, 302, 302, 302, 404, 403, 404, 404, 404),
    "finish other's item":      (LOGIN, 302, 302, 302, 403, 404, 403, 404, 404, 404),
    "comment":                  (LOGIN, 302, 302, 302, 302, 404, 403, 404, 404, 404),
}
# fmt: on

DUE = (date.today() + timedelta(days=20)).isoformat()


def _item_data(title: str, owner: str = "{member_gb}", party: str = "{gb}") -> dict:
    return {
        "title": title,
        "owner_ids": owner,
        "party_id": party,
        "due_on": DUE,
        "priority": "normal",
        "line_id": "0",
    }


ACTIONS = {
    "create": Action(
        "/working-groups/{group}/actions/new",
        _item_data("Matrix created"),
        exists_row(ActionItem, title="Matrix created", working_group_id="{group}"),
    ),
    "create from meeting": Action(
        "/meetings/{meeting}/actions/new",
        _item_data("Matrix agreed"),
        exists_row(ActionItem, title="Matrix agreed", meeting_id="{meeting}"),
    ),
    "edit": Action(
        "/actions/{item}/edit",
        _item_data("Matrix edited", owner="{member_cl}", party="{cl}"),
        exists_row(ActionItem, id="{item}", title="Matrix edited"),
    ),
    "start own item": Action(
        "/actions/{item}/status",
        {"status-status": "in_progress"},
        exists_row(ActionItem, id="{item}", status=ActionStatus.IN_PROGRESS),
    ),
    "finish other's item": Action(
        "/actions/{other_item}/status",
        {"status-status": "done"},
        exists_row(ActionItem, id="{other_item}", status=ActionStatus.DONE),
    ),
    "comment": Action(
        "/actions/{item}/comments",
        {"comment-body": "Matrix update"},
        exists_row(ActionComment, action_item_id="{item}", body_md="Matrix update"),
    ),
}


@pytest.fixture
def ids(world, session) -> dict:
    members = [world.coordinator_cl, world.coordinator_gb, world.member_cl, world.member_gb]
    meeting = factories.make_meeting(
        session, world.group, datetime(2030, 3, 4, 13, tzinfo=UTC), invitees=members
    )
    due = date.today() + timedelta(days=10)
    item = factories.make_action(session, world.group, [world.member_cl], due)
    other = factories.make_action(session, world.group, [world.member_gb], due)
    session.flush()
    result = {
        "group": world.group.id,
        "meeting": meeting.id,
        "item": item.id,
        "other_item": other.id,
        "member_gb": world.member_gb.id,
        "member_cl": world.member_cl.id,
        "gb": world.gb.id,
        "cl": world.cl.id,
    }
    session.commit()
    return result


@each_actor
def test_action_item_pages(actor, ids, browser_for):
    assert_pages(browser_for, actor, PAGES, ids)


@each_actor
def test_action_item_changes_and_their_effect(actor, ids, browser_for, session):
    assert_actions(browser_for, session, actor, ACTIONS, ACTION_ANSWERS, ids)


def test_every_action_item_change_is_in_the_matrix():
    assert ACTIONS.keys() == ACTION_ANSWERS.keys()


def test_a_denied_item_looks_exactly_like_a_missing_one(ids, login_as, world):
    pages = ("/actions/{item}", "/actions/{item}/edit")
    assert_hidden_like_missing(login_as(world.member_co), pages, ids, "item")


# The external participant gets 404 on the list and the CSV (the matrix above).
@pytest.mark.parametrize("actor", ["member_co", "coordinator_co", "member_cl_outside_group"])
def test_outsiders_never_see_the_items_in_lists_csv_or_charts(actor, ids, world, login_as):
    browser = login_as(getattr(world, actor))
    listing = browser.get("/actions/").get_data(as_text=True)
    assert f'/actions/{ids["item"]}"' not in listing
    csv_text = browser.get("/actions/export.csv").get_data(as_text=True)
    assert len(csv_text.strip().splitlines()) == 1  # the header only

"""Every action item form refuses bad input with 422, a clear message, and no write at all."""

from datetime import date, timedelta

import pytest

from tests.factories import make_action
from tests.helpers.bad_input import CHOOSE, EMPTY, LONG, check_post

# Which input a form refuses, and that it writes nothing, does not depend on the backend:
# run once, on PostgreSQL when it answers (ONE_BACKEND, tests/conftest.py), which also
# enforces the columns' lengths, so that the suite's time goes where the backends differ.
pytestmark = pytest.mark.one_backend


@pytest.fixture
def item(world, session):
    action = make_action(session, world.group, [world.member_gb], date.today() + timedelta(9))
    session.commit()
    return action


def _item_cases(world, session):
    other_line = world.mou_cl_co.lines[0].id
    return [
        (EMPTY, {}, "Write the title in English, in Spanish or in both."),
        ("long title", {"title": LONG}, "Use at most 200 characters."),
        (
            "CR/LF title",
            {"title": "Plan\r\nBcc: x@evil.example"},
            "Use a single line of plain text.",
        ),
        ("long description", {"description_md": LONG * 3}, "Use at most 20000 characters."),
        ("no owner", {"owner_ids": []}, "Choose at least one owner."),
        ("other party's person", {"owner_ids": [world.member_co.id]}, CHOOSE),
        ("an observer", {"owner_ids": [world.observer_gb.id]}, CHOOSE),
        ("owner not a number", {"owner_ids": ["../../etc/passwd"]}, "Choose at least one owner."),
        ("party outside the MoU", {"party_id": world.co.id}, CHOOSE),
        ("due date in words", {"due_on": "next Friday"}, "Enter the date as YYYY-MM-DD."),
        ("due date in 1900", {"due_on": "1900-01-01"}, "Choose a due date between 2000 and 2100."),
        ("unknown priority", {"priority": "urgent"}, CHOOSE),
        ("line of another MoU", {"line_id": other_line}, CHOOSE),
    ]


def _valid_item(world, title="Share the taxonomy"):
    return {
        "title": title,
        "description_md": "Send **both** versions",
        "owner_ids": [world.member_cl.id, world.member_gb.id],
        "party_id": world.cl.id,
        "due_on": (date.today() + timedelta(14)).isoformat(),
        "priority": "high",
        "line_id": world.mou.lines[0].id,
    }


def test_new_action_form(world, session, login_as):
    path = f"/working-groups/{world.group.id}/actions/new"
    browser = login_as(world.member_gb)
    check_post(session, browser, path, path, _valid_item(world), _item_cases(world, session))


def test_edit_action_form(world, session, item, login_as):
    path = f"/actions/{item.id}/edit"
    browser = login_as(world.coordinator_gb)
    check_post(session, browser, path, path, _valid_item(world, "New"), _item_cases(world, session))


def test_status_form(world, session, item, login_as):
    browser = login_as(world.member_gb)
    cases = [
        (EMPTY, {}, "Choose a status."),
        ("unknown status", {"status-status": "lost"}, CHOOSE),
        ("same status", {"status-status": "open"}, "This item cannot go from “Open” to “Open”."),
        (
            "cancel without a reason",
            {"status-status": "cancelled"},
            "Say why the item is cancelled.",
        ),
        (
            "CR/LF reason",
            {"status-status": "cancelled", "status-reason": "a\r\nb"},
            "Use a single line of plain text.",
        ),
        (
            "long reason",
            {"status-status": "cancelled", "status-reason": LONG},
            "Use at most 500 characters.",
        ),
    ]
    valid = {"status-status": "in_progress", "status-reason": ""}
    path = f"/actions/{item.id}/status"
    check_post(session, browser, path, f"/actions/{item.id}", valid, cases)


def test_comment_form(world, session, item, login_as):
    browser = login_as(world.member_gb)
    cases = [
        (EMPTY, {}, "Write the update."),
        ("spaces", {"comment-body": "   "}, "Write the update."),
        ("long", {"comment-body": LONG}, "Use at most 5000 characters."),
    ]
    valid = {"comment-body": "Draft <script>alert(1)</script> sent"}
    path = f"/actions/{item.id}/comments"
    check_post(session, browser, path, f"/actions/{item.id}", valid, cases)
    page = browser.get(f"/actions/{item.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page

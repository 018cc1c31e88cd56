"""A form sent twice creates one object (issue 14 item 5, SECURITY.md 37).

Each create form carries a one-time token; the second submission of the same showing of the
form, one after the other or at the same instant, answers with the first one's object.
"""

import logging
import re
import threading
import time
from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from portal.actions.models import ActionComment, ActionItem
from portal.db import utcnow
from portal.meetings.models import AgendaItem, Invitee, Meeting
from portal.notifications.models import OutboxMessage
from tests import factories

CSRF = re.compile(r'name="(?:[\w-]+-)?csrf_token" type="hidden" value="([^"]+)"')


def _token_field(prefix: str) -> re.Pattern:
    name = f"{prefix}-submission_token" if prefix else "submission_token"
    return re.compile(rf'name="{re.escape(name)}" type="hidden" value="([^"]+)"')


def shown_form(browser, page: str, prefix: str = "") -> dict:
    """The hidden fields of a create form as the browser got them with the page."""
    html = browser.get(page).get_data(as_text=True)
    token = _token_field(prefix).search(html)
    assert token, f"no submission token on {page}"
    name = f"{prefix}-submission_token" if prefix else "submission_token"
    return {"csrf_token": CSRF.search(html).group(1), name: token.group(1)}


def count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def in_days(days: int) -> str:
    return (date.today() + timedelta(days)).isoformat()


def meeting_form(world) -> dict:
    return {
        "title_en": "Quarterly review",
        "title_es": "Revisión trimestral",
        "start_local": f"{in_days(30)}T10:00",
        "end_local": f"{in_days(30)}T11:00",
        "timezone": "America/Santiago",
        "tlp": "amber",
        "repeat": "none",
        "interval": "1",
    }


def action_form(world) -> dict:
    return {
        "title": "Share the taxonomy",
        "owner_ids": [world.member_cl.id, world.member_gb.id],
        "party_id": world.cl.id,
        "due_on": in_days(14),
        "priority": "high",
        "line_id": 0,
    }


def _meeting(world, session):
    meeting = factories.make_meeting(session, world.group, utcnow() + timedelta(30))
    session.commit()
    return meeting


def _action(world, session):
    item = factories.make_action(session, world.group, [world.member_gb], date.today())
    session.commit()
    return item


# name: (actor, what to make first, page of the form, where it posts, prefix, data, counted)
CREATE_FORMS = {
    "meeting": (
        "coordinator_cl",
        None,
        lambda w, o: f"/working-groups/{w.group.id}/meetings/new",
        None,
        "",
        meeting_form,
        Meeting,
    ),
    "agenda item": (
        "coordinator_cl",
        _meeting,
        lambda w, o: f"/meetings/{o.id}",
        lambda w, o: f"/meetings/{o.id}/agenda",
        "agenda",
        lambda w: {"agenda-title": "Welcome"},
        AgendaItem,
    ),
    "invitee": (
        "coordinator_cl",
        _meeting,
        lambda w, o: f"/meetings/{o.id}",
        lambda w, o: f"/meetings/{o.id}/invitees",
        "invitee",
        lambda w: {"invitee-user_id": w.member_gb.id},
        Invitee,
    ),
    "action item": (
        "member_gb",
        None,
        lambda w, o: f"/working-groups/{w.group.id}/actions/new",
        None,
        "",
        action_form,
        ActionItem,
    ),
    "action update": (
        "member_gb",
        _action,
        lambda w, o: f"/actions/{o.id}",
        lambda w, o: f"/actions/{o.id}/comments",
        "comment",
        lambda w: {"comment-body": "Draft sent to both teams."},
        ActionComment,
    ),
}


@pytest.mark.parametrize("name", CREATE_FORMS)
def test_the_same_form_sent_twice_creates_one_object(name, world, session, login_as):
    actor, make, page, action, prefix, data, model = CREATE_FORMS[name]
    made = make(world, session) if make else None
    browser = login_as(getattr(world, actor))
    before = count(session, model)
    form_page = page(world, made)
    payload = {**shown_form(browser, form_page, prefix), **data(world)}
    target = action(world, made) if action else form_page

    first = browser.post(target, data=payload)
    assert first.status_code == 302, first.get_data(as_text=True)[:2000]
    mails = count(session, OutboxMessage)
    second = browser.post(target, data=payload)

    assert second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert count(session, model) == before + 1
    assert count(session, OutboxMessage) == mails
    shown = browser.get(second.headers["Location"]).get_data(as_text=True)
    assert "This was already submitted: here is the" in shown


@pytest.mark.parametrize("name", ["meeting", "action item"])
def test_the_form_shown_again_creates_another_object(name, world, session, login_as):
    """A new showing of the form is a new submission: only a repeat is refused."""
    actor, _make, page, _action, prefix, data, model = CREATE_FORMS[name]
    browser = login_as(getattr(world, actor))
    for _ in range(2):
        payload = {**shown_form(browser, page(world, None), prefix), **data(world)}
        assert browser.post(page(world, None), data=payload).status_code == 302
    assert count(session, model) == 2


def test_a_token_shown_to_another_account_is_refused(world, session, login_as):
    path = f"/working-groups/{world.group.id}/meetings/new"
    theirs = shown_form(login_as(world.coordinator_gb), path)
    browser = login_as(world.coordinator_cl)
    payload = {
        **meeting_form(world),
        "submission_token": theirs["submission_token"],
        "csrf_token": shown_form(browser, path)["csrf_token"],
    }
    response = browser.post(path, data=payload)
    assert response.status_code == 422
    assert "This form was opened by another account or has been altered" in response.get_data(
        as_text=True
    )
    assert count(session, Meeting) == 0


def test_a_forged_token_is_refused(world, session, login_as):
    browser = login_as(world.member_gb)
    path = f"/working-groups/{world.group.id}/actions/new"
    payload = {**shown_form(browser, path), **action_form(world), "submission_token": "x.y"}
    response = browser.post(path, data=payload)
    assert response.status_code == 422
    assert "This form was opened by another account or has been altered" in response.get_data(
        as_text=True
    )
    assert count(session, ActionItem) == 0


@pytest.fixture
def postgres_only(backend):
    if backend["name"] != "postgresql":
        pytest.skip("SQLite lets one writer in at a time: the race runs on PostgreSQL")


@pytest.fixture
def slow_commits():
    """Each commit waits a moment, so the second request is surely inside its transaction
    (past the check for an earlier submission) while the first has not committed yet."""

    def wait(session):
        time.sleep(0.3)

    event.listen(Session, "before_commit", wait)
    yield
    event.remove(Session, "before_commit", wait)


def _post_at_once(clients, target: str, payloads: list[dict]) -> list:
    barrier = threading.Barrier(len(clients))
    answers: list = [None] * len(clients)

    def send(index: int) -> None:
        barrier.wait(timeout=30)
        answers[index] = clients[index].post(target, data=payloads[index])

    threads = [threading.Thread(target=send, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


@pytest.mark.parametrize(("name", "mails"), [("meeting", 4), ("action item", 1)])
def test_the_same_form_sent_twice_at_once_creates_one_object_and_one_set_of_mails(
    name, mails, postgres_only, slow_commits, world, session, login_as, caplog
):
    actor, _make, page, _action, _prefix, data, model = CREATE_FORMS[name]
    path = page(world, None)
    clients = [login_as(getattr(world, actor)) for _ in range(2)]  # two tabs, one account
    shown = shown_form(clients[0], path)
    payloads = [
        {**data(world), **shown, "csrf_token": shown_form(c, path)["csrf_token"]} for c in clients
    ]

    with caplog.at_level(logging.INFO, logger="portal.submissions"):
        answers = _post_at_once(clients, path, payloads)

    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0].headers["Location"] == answers[1].headers["Location"]
    assert count(session, model) == 1
    assert count(session, OutboxMessage) == mails  # one set of invitations or notices
    assert "sent twice at once: the later one is rolled back" in caplog.text

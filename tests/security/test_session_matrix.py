"""The permission matrix for the sessions page: each person sees and signs out only their own
sessions; another person's answers 404 like a missing one, administrators included."""

import pytest
from sqlalchemy import select

from portal.accounts.models import Role, UserSession
from portal.accounts.sessions import start_session
from portal.core.db import utcnow
from tests import factories
from tests.conftest import csrf_token
from tests.helpers.matrix import LOGIN, Action, assert_actions, assert_pages, each_actor
from tests.helpers.pages import LEAK_CHECK_HEADERS, assert_looks_missing

# Columns: anon, admin, coord CL, coord GB, member CL (in group), member CL outside,
#          observer GB, external CL, member CO, coordinator CO.
# fmt: off
PAGES = {
    "/account/sessions":               (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "/account/sessions/end-others":    (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200),
}

ACTION_ANSWERS = {
    "end a GB member's session":       (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "end a CL member's session":       (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "end an ended session":            (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "end one's own other session":     (LOGIN, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    "end every other of one's own":    (LOGIN, 302, 302, 302, 302, 302, 302, 302, 302, 302),
}
# fmt: on


def _ended(key: str):
    def check(session, ids) -> bool:
        return session.get(UserSession, ids[key]).ended_at is not None

    return check


def _only_own_ended(session, ids) -> bool:
    """Every other session of the actor ended; the other people's sessions untouched."""
    others = session.scalars(select(UserSession).where(UserSession.id.in_(ids["others"])))
    return all(row.ended_at is None for row in others) and _ended("spare")(session, ids)


ACTIONS = {
    "end a GB member's session": Action(
        "/account/sessions/{member_gb}/end", {}, _ended("member_gb")
    ),
    "end a CL member's session": Action(
        "/account/sessions/{member_cl}/end", {}, _ended("member_cl")
    ),
    "end an ended session": Action("/account/sessions/{ended}/end", {}, lambda s, ids: False),
    "end one's own other session": Action("/account/sessions/{own}/end", {}, _ended("own")),
    "end every other of one's own": Action("/account/sessions/end-others", {}, _only_own_ended),
}


def _session_of(session, user, **fields) -> int:
    start_session(session, user, user_agent="Firefox", ip_address="192.0.2.1")
    session.flush()
    row = session.scalars(select(UserSession).order_by(UserSession.id.desc())).first()
    for name, value in fields.items():
        setattr(row, name, value)
    return row.id


@pytest.fixture
def ids(world, session) -> dict:
    """Sessions of two people who are no actor, and one that has ended."""
    member_cl = factories.make_user(session, world.cl, Role.MEMBER)
    ids = {
        "member_gb": _session_of(session, world.member_gb),
        "member_cl": _session_of(session, member_cl),
        "ended": _session_of(session, member_cl, ended_at=utcnow()),
    }
    ids["others"] = [ids["member_gb"], ids["member_cl"]]
    session.commit()
    return ids


def _with_own_sessions(ids, session, world, actor) -> dict:
    """Two more sessions of the actor, besides the browser's ("own" and "spare")."""
    if actor == "anonymous":
        return {**ids, "own": ids["member_gb"], "spare": ids["member_gb"]}
    person = getattr(world, actor)
    own = {"own": _session_of(session, person), "spare": _session_of(session, person)}
    session.commit()
    return {**ids, **own}


@each_actor
def test_session_pages(actor, ids, browser_for):
    assert_pages(browser_for, actor, PAGES, ids)


@each_actor
def test_session_actions_and_their_effect(actor, ids, browser_for, session, world):
    ids = _with_own_sessions(ids, session, world, actor)
    browser = assert_actions(browser_for, session, actor, ACTIONS, ACTION_ANSWERS, ids)
    assert browser.get("/account/sessions").status_code == (302 if actor == "anonymous" else 200)


def test_someone_elses_session_looks_missing(ids, browser_for):
    browser = browser_for("admin")
    token = csrf_token(browser, "/account/")
    denied_path = f"/account/sessions/{ids['member_gb']}/end"
    missing_path = "/account/sessions/987654/end"
    data = {"csrf_token": token}
    denied = browser.post(denied_path, data=data, headers=LEAK_CHECK_HEADERS)
    missing = browser.post(missing_path, data=data, headers=LEAK_CHECK_HEADERS)
    assert_looks_missing(denied, denied_path, missing, missing_path)


def test_every_session_action_is_in_the_matrix():
    assert ACTIONS.keys() == ACTION_ANSWERS.keys()

"""The permission-matrix driver every matrix file uses.

A feature's matrix file declares its cases as data: ``PAGES`` maps a path to the answer of
each actor (a row, in the order of ``ACTORS``), ``ANSWERS`` maps an action's name to its
row, and ``ACTIONS`` says what each action posts and how to see its effect. A test takes
one actor (``@each_actor``) and walks a whole row through ``assert_pages`` or
``assert_actions``, so a failure shows the full table of answers for that actor at once.

The actors are the people of the ``world`` fixture, built by ``browser_for``: anonymous,
an administrator, the coordinators of Chile and the UK (co-chairs of the Chile–UK working
group), a Chilean member in the group and one outside it, a British observer, a Chilean
external participant, and a member and a coordinator of Colombia (another delegation).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token
from tests.helpers.pages import LEAK_CHECK_HEADERS, assert_looks_missing

LOGIN = "login"  # an anonymous visitor is sent to the login page

ACTORS = (
    "anonymous",
    "admin",
    "coordinator_cl",
    "coordinator_gb",
    "member_cl",
    "member_cl_outside_group",
    "observer_gb",
    "external_cl",
    "member_co",
    "coordinator_co",
)

each_actor = pytest.mark.parametrize("actor", ACTORS)


@dataclass(frozen=True)
class Action:
    """A POST and its effect.

    data is the form (with {placeholders}), or a function returning a fresh one for bodies
    that can be read only once (files). done(session, ids) says whether the change is in the
    database; None when the action has no effect to look for, only an answer.
    """

    path: str
    data: dict | Callable[[], dict]
    done: Callable | None


def exists_row(model, **criteria) -> Callable:
    """An effect check: is there a row of model matching criteria (given as {placeholders})?"""

    def check(session, ids: dict) -> bool:
        values = {key: fill(value, ids) for key, value in criteria.items()}
        query = select(func.count()).select_from(model).filter_by(**values)
        return session.scalar(query) > 0

    return check


def gone_row(model, key: str) -> Callable:
    def check(session, ids: dict) -> bool:
        return not exists_row(model, id=key)(session, ids)

    return check


def fill(value, ids: dict):
    """Put the test's ids into a "{placeholder}" string (or into each item of a list)."""
    if isinstance(value, list):
        return [fill(item, ids) for item in value]
    if isinstance(value, str) and re.fullmatch(r"\{\w+\}", value):
        return ids[value[1:-1]]
    if isinstance(value, str):
        return value.format(**ids)
    return value


def outcome(response):
    location = response.headers.get("Location", "")
    if response.status_code == 302 and location.startswith("/auth/login?next="):
        return LOGIN
    return response.status_code


def column(table: dict, actor: str) -> dict:
    return {key: row[ACTORS.index(actor)] for key, row in table.items()}


def token_for(browser, actor: str) -> str:
    """A form token from a page the actor may open."""
    return csrf_token(browser, "/auth/login" if actor == "anonymous" else "/account/")


def assert_pages(browser_for, actor: str, pages: dict, ids: dict):
    """GET every page as the actor: the answers are the actor's column. Returns the browser."""
    browser = browser_for(actor)
    answers = {}
    for page in pages:
        response = browser.get(fill(page, ids))
        answers[page] = outcome(response)
        response.close()  # downloads stream their file until closed
    assert answers == column(pages, actor)
    return browser


def assert_actions(browser_for, session, actor: str, actions: dict, answers: dict, ids: dict):
    """POST every action as the actor: each answer is the actor's, and the change is in the
    database exactly when that answer is a 302. Returns the browser."""
    browser = browser_for(actor)
    token = token_for(browser, actor)
    results, expected = {}, {}
    for name, action in actions.items():
        response = browser.post(fill(action.path, ids), data=_form(action, token, ids))
        session.rollback()  # read what the app committed, not this session's old snapshot
        answer = answers[name][ACTORS.index(actor)]
        if action.done is None:
            results[name], expected[name] = outcome(response), answer
        else:
            results[name] = (outcome(response), action.done(session, ids))
            expected[name] = (answer, answer == 302)
    assert results == expected
    return browser


def _form(action: Action, token: str, ids: dict) -> dict:
    data = action.data() if callable(action.data) else action.data
    return {"csrf_token": token, **{fill(k, ids): fill(v, ids) for k, v in data.items()}}


MISSING_ID = 987654  # an id no test object has


def assert_hidden_like_missing(browser, pages, ids: dict, key: str) -> None:
    """Each page of an object `browser` may not see answers exactly as for an object that
    does not exist (`ids[key]` replaced by MISSING_ID): its existence does not leak."""
    for page in pages:
        existing, missing = fill(page, ids), fill(page, {**ids, key: MISSING_ID})
        denied = browser.get(existing, headers=LEAK_CHECK_HEADERS)
        absent = browser.get(missing, headers=LEAK_CHECK_HEADERS)
        assert_looks_missing(denied, existing, absent, missing)

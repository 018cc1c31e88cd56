"""Shared pieces of the permission matrices: actors, placeholders, outcomes, effects."""

import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select

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


@dataclass(frozen=True)
class Action:
    path: str
    data: dict
    done: Callable  # (session, ids) -> whether the change is in the database


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


# The same request id on both requests, so the pages compared differ only where they leak.
LEAK_CHECK_HEADERS = {"X-Request-ID": "leak-check-0001"}


def normalised(response, path: str) -> str:
    """The page with its path and form token (signed with the time) blanked."""
    page = response.get_data(as_text=True).replace(path, "{path}")
    return re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token" value=""', page)


def assert_looks_missing(denied, denied_path: str, missing, missing_path: str) -> None:
    """A denied object's answer is a 404 exactly like a missing one's."""
    assert denied.status_code == missing.status_code == 404
    assert normalised(denied, denied_path) == normalised(missing, missing_path)


def page_title(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.S).group(1)


def action_outcomes(browser, token: str, actions: dict, answers: dict, actor: str, ids, session):
    """(what happened, what should have) for every action: the answer and whether it changed
    the database, which it must exactly when the expected answer is a 302."""
    results, expected = {}, {}
    for name, action in actions.items():
        data = {"csrf_token": token, **{fill(k, ids): fill(v, ids) for k, v in action.data.items()}}
        response = browser.post(fill(action.path, ids), data=data)
        session.rollback()  # read what the app committed, not this session's old snapshot
        results[name] = (outcome(response), action.done(session, ids))
        answer = answers[name][ACTORS.index(actor)]
        expected[name] = (answer, answer == 302)
    return results, expected

"""Connections killed during a request answer the 503 page, wherever the error is raised
(issue 14 item 6, SECURITY.md 37), and the next request works without restarting the app.

The app's backend connections are really terminated (pg_terminate_backend from a separate
admin connection) at a chosen moment of a request: while the account is loaded, in the view,
at the final commit and in the work that runs after it (there the change is already saved and
said to be). PostgreSQL only.
"""

import re
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.pool import NullPool

from portal.actions.models import ActionComment
from portal.core.db import utcnow
from portal.core.extensions import db
from portal.meetings.models import AgendaItem
from tests import factories

CSRF = re.compile(r'name="(?:[\w-]+-)?csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def admin(backend):
    if backend["name"] != "postgresql":
        pytest.skip("terminating backend connections needs PostgreSQL (set TEST_DATABASE_URL)")
    # The worker's own database (pytest-xdist gives each worker one), where the app connects.
    engine = create_engine(backend["url"], isolation_level="AUTOCOMMIT", poolclass=NullPool)
    yield engine
    engine.dispose()


class Killer:
    """Terminates every backend of the database but its own, once, when the moment comes."""

    def __init__(self, admin, engine) -> None:
        self.admin, self.engine = admin, engine
        self.armed = False
        self.kills = 0
        self.listeners: list = []

    def listen(self, name: str, listener) -> None:
        event.listen(self.engine, name, listener)
        self.listeners.append((name, listener))

    def stop_listening(self) -> None:
        for name, listener in self.listeners:
            event.remove(self.engine, name, listener)

    def arm(self, session) -> None:
        """From now on; the test's own session first hands its connection back to the pool."""
        session.commit()
        self.armed = True

    def kill_now(self) -> None:
        if not self.armed:
            return
        self.armed = False
        with self.admin.connect() as connection:
            self.kills += connection.scalar(
                text(
                    "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) "
                    "FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )

    def on_statement(self, needle: str) -> None:
        def before(conn, cursor, statement, parameters, context, executemany):
            if needle in statement:
                self.kill_now()

        self.listen("before_cursor_execute", before)

    def on_commit(self) -> None:
        self.listen("commit", lambda conn: self.kill_now())

    def after_commit(self) -> None:
        """On the first statement after a commit: the after-commit tasks' work."""
        committed = []
        self.listen("commit", lambda conn: self.armed and committed.append(True))

        def before(conn, cursor, statement, parameters, context, executemany):
            if committed:
                self.kill_now()

        self.listen("before_cursor_execute", before)


@pytest.fixture
def killer(admin, app):
    with app.app_context():
        engine = db.engine
    killer = Killer(admin, engine)
    yield killer
    killer.stop_listening()
    with app.app_context():
        db.engine.dispose()


def assert_503_page(response) -> None:
    page = response.get_data(as_text=True)
    assert response.status_code == 503, page[:2000]
    assert "The portal is briefly unavailable" in page
    assert "The database is not answering. Try again in a minute." in page
    assert "Traceback" not in page
    assert "OperationalError" not in page
    assert response.headers["X-Request-ID"] in page


def _csrf(browser, path: str) -> str:
    return CSRF.search(browser.get(path).get_data(as_text=True)).group(1)


def _count(session, model) -> int:
    count = session.scalar(select(func.count()).select_from(model))
    session.commit()  # hand the connection back before the next kill
    return count


@pytest.fixture
def item(world, session):
    action = factories.make_action(session, world.group, [world.member_gb], utcnow().date())
    session.commit()
    return action


def test_connection_killed_while_the_account_is_loaded_answers_503(
    item, world, session, login_as, killer
):
    browser, page = login_as(world.member_gb), f"/actions/{item.id}"
    killer.on_statement("user_sessions")
    killer.arm(session)

    assert_503_page(browser.get(page))

    assert killer.kills >= 1
    assert browser.get(page).status_code == 200


def test_connection_killed_in_the_view_answers_503(item, world, session, login_as, killer):
    browser, page = login_as(world.member_gb), f"/actions/{item.id}"
    killer.on_statement("FROM action_items")
    killer.arm(session)

    assert_503_page(browser.get(page))

    assert killer.kills >= 1
    assert browser.get(page).status_code == 200


def test_connection_killed_at_the_final_commit_answers_503_and_saves_nothing(
    item, world, session, login_as, killer
):
    browser, page = login_as(world.member_gb), f"/actions/{item.id}"
    update = {"csrf_token": _csrf(browser, page), "comment-body": "Sent."}
    killer.on_commit()
    killer.arm(session)

    assert_503_page(browser.post(f"{page}/comments", data=update))

    assert killer.kills >= 1
    assert _count(session, ActionComment) == 0
    again = browser.post(f"{page}/comments", data=update)
    assert again.status_code == 302
    assert _count(session, ActionComment) == 1


def test_connection_killed_after_the_commit_keeps_the_saved_change_and_says_so(
    world, session, login_as, killer
):
    meeting = factories.make_meeting(session, world.group, utcnow() + timedelta(days=30))
    session.commit()
    browser = login_as(world.coordinator_cl)
    page = f"/meetings/{meeting.id}"
    agenda = {"csrf_token": _csrf(browser, f"{page}/manage"), "agenda-title": "Welcome"}
    killer.after_commit()
    killer.arm(session)

    answer = browser.post(f"{page}/agenda", data=agenda)

    # Nothing runs after the commit: the meeting's stored pages are rendered again by their
    # next reader, not in the writer's request, so a connection lost then cannot touch it.
    assert killer.kills == 0
    killer.armed = False
    assert answer.status_code == 302
    assert _count(session, AgendaItem) == 1
    shown = browser.get(page)
    assert shown.status_code == 200
    assert "Welcome" in shown.get_data(as_text=True)

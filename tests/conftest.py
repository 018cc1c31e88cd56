"""Fixtures: one app per test, on SQLite and (with TEST_DATABASE_URL) on PostgreSQL."""

import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from flask.testing import FlaskClient
from flask_migrate import upgrade
from itsdangerous import BadSignature
from sqlalchemy import create_engine, event, make_url, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from config import TestConfig
from portal import PROJECT_ROOT, create_app
from portal.core.extensions import db
from tests import factories
from tests.helpers.compiled import (
    COMPILED_TEMPLATES,
    SHARED_ENGINE,
    keep_compiled_url_builders,
    keep_engines_of_test_apps,
    kept_connections_tested_on_first_use,
)

keep_compiled_url_builders()
keep_engines_of_test_apps(db)

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
MIGRATIONS = str(PROJECT_ROOT / "migrations")
CSRF_FIELD = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


class ClosingClient(FlaskClient):
    """Finishes each answer as a server does once it has sent it, so the work the app defers
    until then (portal/web/after_response.py) is done before the test looks. Downloads stay
    streamed (their tests read and close them); `finish_responses = False` keeps every
    response open, to look at the work done before it was sent."""

    finish_responses = True

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        disposition = response.headers.get("Content-Disposition", "")
        if self.finish_responses and "attachment" not in disposition:
            response.make_sequence()
            response.close()
        return response


# Tests marked one_backend check what no database changes (an HTTP contract, say): they run
# once, on PostgreSQL when the run has it. Everything else runs on every backend.
ONE_BACKEND = BACKENDS[-1]


@event.listens_for(Engine, "connect")
def _sqlite_commits_without_fsync(dbapi_connection, _connection_record) -> None:
    """Every SQLite file of the suite is thrown away after its test, so a commit need not
    wait for the disk: an fsync costs 2-25 ms on these machines and a test commits dozens
    of times (the login, each request, the factories). What a test checks is unchanged:
    the transactions, locks and constraints are SQLite's as before."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.close()


@event.listens_for(Engine, "connect")
def _postgres_commits_without_waiting_for_the_disk(dbapi_connection, _connection_record) -> None:
    """The same for the suite's PostgreSQL databases (also thrown away): a commit returns
    before its WAL record is flushed (3-4 ms each on these machines). Transactions, locks,
    constraints and what another connection sees are unchanged; only a crash of the server
    could lose the last commits, of a test database."""
    if type(dbapi_connection).__module__.startswith("psycopg"):
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")
        dbapi_connection.commit()


def pytest_configure(config):
    config.addinivalue_line("markers", "one_backend: run on one backend only (ONE_BACKEND)")


def pytest_collection_modifyitems(config, items):
    elsewhere = [
        item
        for item in items
        if item.get_closest_marker("one_backend")
        and getattr(item, "callspec", None) is not None
        and item.callspec.params.get("backend", ONE_BACKEND) != ONE_BACKEND
    ]
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        items[:] = [item for item in items if item not in elsewhere]


def build_app(database_url: str, instance_path: Path, **overrides):
    app = create_app(
        TestConfig(),
        {"SQLALCHEMY_DATABASE_URI": database_url, "INSTANCE_PATH": str(instance_path), **overrides},
    )
    app.test_client_class = ClosingClient
    app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    return app


def create_database(name: str, template: str | None = None) -> None:
    """A database on the test server (TEST_DATABASE_URL), empty or a copy of `template`."""
    copied = f' TEMPLATE "{template}"' if template else ""
    _on_server(f'CREATE DATABASE "{name}"{copied}')


def drop_database(name: str) -> None:
    _on_server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _on_server(statement: str) -> None:
    server = make_url(os.environ["TEST_DATABASE_URL"])
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(statement))
    admin.dispose()


def _worker_database(url: str, worker: str) -> str:
    """With pytest-xdist, each worker gets its own PostgreSQL database beside the given one."""
    base = make_url(url)
    name = f"{base.database}_{worker}"
    drop_database(name)
    create_database(name)
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request, tmp_path_factory, worker_id):
    """A migrated database per backend, built once: a template file (SQLite) or a schema."""
    own_database = None
    if request.param == "sqlite":
        folder = tmp_path_factory.mktemp("sqlite-template")
        template = folder / "template.sqlite3"
        url = f"sqlite:///{template}"
        working = folder / "portal.sqlite3"
    else:
        folder = tmp_path_factory.mktemp("pg-instance")
        url = os.environ["TEST_DATABASE_URL"]
        working = None
        if worker_id != "master":
            url = own_database = _worker_database(url, worker_id)
    if own_database:
        request.addfinalizer(lambda: drop_database(make_url(own_database).database))
    app = build_app(url, folder)
    with app.app_context():
        if request.param == "postgresql":
            _reset_postgres_schema()
        upgrade(directory=MIGRATIONS)
        db.engine.dispose()
    template = url.removeprefix("sqlite:///")
    return {"name": request.param, "url": url, "template": template, "working": working}


def _reset_postgres_schema() -> None:
    with db.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


# Rows the migrations make and the portal expects (the generations of the dashboard, of the
# MoU and group pages, of the search pages, of the accounts the management page's picker
# lists, of the MoUs' contacts, of the CSIRT bulletin list and of the action list's choices,
# migrations/versions/0040_dashboard_generation.py, 0041_page_generation.py,
# 0042_search_generation.py, 0045_manage_people.py, 0048_contacts_generation.py,
# 0050_bulletins_generation.py and 0051_actions_generation.py): made again once the tables
# are emptied.
SEEDED_ROWS = (
    "INSERT INTO kept_generations (name, generation)"
    " VALUES ('dashboard', 0), ('mou-pages', 0), ('search', 0), ('people', 0), ('contacts', 0),"
    " ('bulletins', 0), ('actions', 0)",
)


def empty_postgres() -> None:
    """Empties every table in one round trip. The session acts as a replica does, so no
    trigger fires: neither the foreign keys' checks (every row is going, so there is nothing
    to check, where checking cost 80 ms per test: each new connection plans each check anew)
    nor the audit log's refusal to lose a row. On tables this small a DELETE costs a few
    milliseconds, where TRUNCATE makes new files for each table; identifiers go on from where
    the last test left them."""
    statements = ["SET LOCAL session_replication_role = replica"]
    for table in db.metadata.sorted_tables:
        statements.append(f'DELETE FROM "{table.name}"')  # noqa: S608 (names from the metadata)
    statements.extend(SEEDED_ROWS)
    with db.engine.begin() as connection:
        connection.exec_driver_sql(";".join(statements))


@pytest.fixture
def database_url(backend, tmp_path) -> str:
    """The test's database: on SQLite a fresh copy of the template, always at the same path
    (so each test's app takes the same kept engine), put in place as a new file: a connection
    a test left open keeps the file it had."""
    if backend["name"] == "sqlite":
        copy = tmp_path / "portal.sqlite3"
        shutil.copyfile(backend["template"], copy)
        os.replace(copy, backend["working"])
        return f"sqlite:///{backend['working']}"
    return backend["url"]


@pytest.fixture
def app_overrides() -> dict:
    """Tests override configuration by overriding this fixture."""
    return {}


@pytest.fixture
def app(backend, database_url, tmp_path, app_overrides):
    """The app, with no context pushed: each test request gets its own, as in production."""
    overrides = {SHARED_ENGINE: True, **app_overrides}
    app = build_app(database_url, tmp_path / "instance", **overrides)
    if backend["name"] == "sqlite":
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()  # the engine is kept for the next test: its connections are not
        return
    with app.app_context():
        engine = db.engine
    with kept_connections_tested_on_first_use(engine):
        with app.app_context():
            empty_postgres()
        yield app
    with app.app_context():
        db.session.remove()


@pytest.fixture
def engine(app):
    with app.app_context():
        return db.engine


@pytest.fixture
def session(engine):
    """The test's own database session, separate from the app's (like another process)."""
    with Session(engine) as test_session:
        yield test_session


@pytest.fixture
def app_context(app):
    """For tests that call services directly; do not send requests while it is pushed."""
    with app.test_request_context():
        yield db.session


@pytest.fixture(scope="session")
def demo_at_head(tmp_path_factory):
    """demo_at_head(kind) -> a database migrated to the head with the demo seeded, made once
    per worker and backend on first use (a file for SQLite, a database name for PostgreSQL):
    going through every revision and seeding takes seconds that each migration test would
    otherwise pay again before it starts (tests/helpers/migrations.py: demo_app copies it)."""
    from tests.helpers.migrations import migrated_demo

    made: dict[str, str] = {}

    def database(kind: str) -> str:
        if kind not in made:
            made[kind] = migrated_demo(kind, tmp_path_factory.mktemp(f"demo-{kind}"))
        return made[kind]

    yield database
    if "postgresql" in made:
        drop_database(made["postgresql"])


@pytest.fixture(scope="session")
def words_app(tmp_path_factory):
    """An app on an empty in-memory database, built once per run (see words_context)."""
    return build_app("sqlite://", tmp_path_factory.mktemp("words-instance"))


@pytest.fixture
def words_context(words_app):
    """A request context of an app on an empty in-memory database, for checks of values and
    their (translated) messages that read and write nothing, so that they need not run once
    per backend. Pushed for the test alone: left pushed, it would be the current app of every
    later test in the process (a CLI command run by a test would find its empty database)."""
    with words_app.test_request_context():
        yield


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def world(session):
    scenario = factories.make_world(session)
    session.commit()
    return scenario


def csrf_token(client, path: str = "/auth/login") -> str:
    """The CSRF token of the client's session, read from a page as a browser would, once per
    session: it lives as long as the session (WTF_CSRF_TIME_LIMIT), so a browser posts every
    form of one session with a token it read once; a page read for each post was an eighth of
    the suite's time. A new session (a login, a logout) is read from a page again."""
    held = _session_token(client)
    if held is not None and getattr(client, "token_read_for", None) == held:
        return client.token_read
    page = client.get(path).get_data(as_text=True)
    match = CSRF_FIELD.search(page)
    assert match, f"no CSRF token on {path}"
    client.token_read_for, client.token_read = _session_token(client), match[1] or match[2]
    return client.token_read


def _session_token(client) -> str | None:
    """The raw token the client's session cookie holds (None: no session, or no token yet)."""
    app = client.application
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    if cookie is None:
        return None
    try:
        content = app.session_interface.get_signing_serializer(app).loads(cookie.value)
    except BadSignature:
        return None
    return content.get("csrf_token")


def login(client, user, password: str = factories.PASSWORD):
    """Log in through the form; for people with a second factor, through its step too."""
    response = client.post(
        "/auth/login",
        data={"email": user.email, "password": password, "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    if response.headers["Location"] == SECOND_FACTOR_PATH:
        token = csrf_token(client, SECOND_FACTOR_PATH)
        data = {"code": second_factor_code(client.application, user), "csrf_token": token}
        response = client.post(SECOND_FACTOR_PATH, data=data)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


SECOND_FACTOR_PATH = "/auth/second-factor"


def second_factor_code(app, user) -> str:
    """What the person's phone would show: the code of the current time step, or of the next
    one (the check accepts one step of clock drift) when this step was used already.

    A code is never accepted twice, so a test that logs the same person in a third time
    within 30 s has no app code left: the helper then gives them one more recovery code
    (hashed, as enrolment stores them) and logs in through the recovery path. Every login
    goes through the real second step; nothing resets the replay guard.
    """
    from portal.accounts import totp, two_factor
    from portal.accounts.models import RecoveryCode, User
    from portal.core.tokens import hash_token

    with app.app_context():
        person = db.session.get(User, user.id)
        code = two_factor.fresh_code(person)
        if code is None:
            code = f"test-recovery-{factories._next()}"
            stored = hash_token(totp.clean_code(code))
            db.session.add(RecoveryCode(user_id=person.id, code_hash=stored))
            db.session.commit()
    return code


def post(client, path: str, data: dict | None = None, token_from: str | None = None, **kwargs):
    """POST like a browser: with the CSRF token from a page of the same session."""
    payload = {"csrf_token": csrf_token(client, token_from or "/account/"), **(data or {})}
    return client.post(path, data=payload, **kwargs)


@pytest.fixture
def login_as(app):
    """login_as(user) -> a test client logged in as that user."""

    def make(user, password: str = factories.PASSWORD):
        new_client = app.test_client()
        login(new_client, user, password)
        return new_client

    return make


@pytest.fixture
def browser_for(world, client, login_as):
    """browser_for(actor name) -> a test client: anonymous, or logged in as that person."""

    def make(actor: str):
        return client if actor == "anonymous" else login_as(getattr(world, actor))

    return make


@pytest.fixture
def clock_before_2026():
    """For tests whose meetings are dated from 2026 on, written when those dates were still
    to come: the clock stands (and runs) from 1 January 2026, so they are to come again
    (a meeting created with a past start is a recorded one, without invitations)."""
    with time_machine.travel(datetime(2026, 1, 1, tzinfo=UTC), tick=True):
        yield

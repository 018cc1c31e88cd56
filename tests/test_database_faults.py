"""PostgreSQL restarted or lost under the app (SECURITY 37): every request fails fast with the
503 page, the health check says so without details, and the same app carries on by itself
once the database is back (a connection idle for a while is tested before use, one found dead
replaces the whole pool), sessions included: no restart of the app.

The database is reached through a relay (tests/helpers/forwarder.py) that drops every
connection and refuses new ones, as a restart does, or accepts and never answers."""

import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from portal.core.engine import PING_AFTER_IDLE, engine_options
from portal.core.extensions import db
from tests.conftest import login
from tests.helpers.forwarder import forwarder, relayed_app  # noqa: F401 - fixtures

DOWN_PAGE = "The database is not answering"


def _timed(browser, path):
    begun = time.monotonic()
    response = browser.get(path)
    return response, time.monotonic() - begun


def test_while_the_database_is_down_pages_and_healthz_answer_503_then_recover(
    world,
    forwarder,  # noqa: F811 - the fixture
    relayed_app,  # noqa: F811
):
    app = relayed_app()
    browser, probe = app.test_client(), app.test_client()  # a person; the proxy's probe
    login(browser, world.member_cl)
    assert "Javiera Soto" in browser.get("/").get_data(as_text=True)
    assert probe.get("/healthz").get_json() == {"status": "ok", "database": "up"}

    forwarder.down()  # the restart: connections dropped, nothing listening
    for _ in range(2):  # the pooled connection found dead, then a new one refused
        page, seconds = _timed(browser, "/")
        assert page.status_code == 503
        assert DOWN_PAGE in page.get_data(as_text=True)
        assert seconds < 3
    health, seconds = _timed(probe, "/healthz")
    assert (health.status_code, seconds < 3) == (503, True)
    assert health.get_json() == {"status": "unavailable", "database": "down"}  # no details

    forwarder.up()  # back: the very next requests are served, by the same app
    assert probe.get("/healthz").status_code == 200
    page = browser.get("/")
    assert page.status_code == 200
    assert "Javiera Soto" in page.get_data(as_text=True)  # still logged in


def test_nothing_waits_past_its_timeouts(
    world,
    forwarder,  # noqa: F811 - the fixture
    relayed_app,  # noqa: F811
):
    app = relayed_app(
        DATABASE_CONNECT_TIMEOUT=2,
        DATABASE_STATEMENT_TIMEOUT=1.5,
        DATABASE_POOL_SIZE=1,
        DATABASE_MAX_OVERFLOW=0,
        DATABASE_POOL_TIMEOUT=1,
    )
    browser = app.test_client()
    login(browser, world.member_cl)
    with app.app_context():
        # A statement running too long is cancelled by the server.
        assert db.session.scalar(text("SHOW statement_timeout")) == "1500ms"
        begun = time.monotonic()
        with pytest.raises(OperationalError, match="statement timeout"):
            db.session.execute(text("SELECT pg_sleep(5)"))
        assert time.monotonic() - begun < 3
        db.session.rollback()
        db.session.close()

        # Every pooled connection busy: the request waits the pool timeout, then the 503 page.
        held = db.engine.connect()
        page, seconds = _timed(browser, "/")
        held.close()
        assert (page.status_code, DOWN_PAGE in page.get_data(as_text=True)) == (503, True)
        assert 0.9 < seconds < 3

        # A host that accepts and never answers: given up after the connect timeout.
        forwarder.silent()
        db.engine.dispose()
    health, seconds = _timed(app.test_client(), "/healthz")
    assert health.status_code == 503
    assert 1.5 < seconds < 6


def _count_pings(app, monkeypatch) -> list:
    """The connections the app tests before use, as they are tested."""
    with app.app_context():
        dialect = db.engine.dialect
    pings, ping = [], dialect.do_ping

    def counted(dbapi_connection):
        pings.append(dbapi_connection)
        return ping(dbapi_connection)

    monkeypatch.setattr(dialect, "do_ping", counted)
    return pings


def test_a_restart_while_the_app_is_quiet_costs_no_request(
    world,
    forwarder,  # noqa: F811 - the fixture
    relayed_app,  # noqa: F811
    monkeypatch,
):
    app = relayed_app()
    pings = _count_pings(app, monkeypatch)
    browser = app.test_client()
    login(browser, world.member_cl)
    assert browser.get("/").status_code == 200
    forwarder.down()  # every pooled connection dropped
    forwarder.up()
    time.sleep(PING_AFTER_IDLE + 0.2)  # idle: tested before use, found dead, replaced
    page = browser.get("/")
    assert page.status_code == 200
    assert "Javiera Soto" in page.get_data(as_text=True)
    assert len(pings) == 1


def test_a_busy_app_tests_no_connection_before_use(
    world,
    forwarder,  # noqa: F811 - the fixture
    relayed_app,  # noqa: F811
    monkeypatch,
):
    """A connection used a moment ago is taken as it is (a test is a round trip, on every
    request of a busy server); one that a restart killed in that moment answers 503 once,
    and the next request is served on a new connection."""
    app = relayed_app()
    pings = _count_pings(app, monkeypatch)
    browser = app.test_client()
    login(browser, world.member_cl)
    for _ in range(3):
        assert browser.get("/").status_code == 200
    assert pings == []
    forwarder.down()
    forwarder.up()
    assert browser.get("/").status_code == 503
    page = browser.get("/")
    assert page.status_code == 200 and "Javiera Soto" in page.get_data(as_text=True)


def test_engine_options_leave_sqlite_alone():
    config = {"SQLALCHEMY_DATABASE_URI": "sqlite:///portal.sqlite3"}
    assert engine_options(config) == {"pool_pre_ping": True}

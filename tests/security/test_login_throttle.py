"""Login throttling: failures only, per account and per address; in memory and in Redis."""

import itertools
import uuid
from datetime import timedelta

import pytest
import redis
import time_machine

from portal.core.db import utcnow
from portal.core.extensions import db
from tests.conftest import build_app, csrf_token
from tests.factories import PASSWORD

# The throttle's counting (in memory or Redis) does not depend on the backend:
# run once, on PostgreSQL when it answers (ONE_BACKEND, tests/conftest.py), so that
# the suite's time goes where the backends differ.
pytestmark = pytest.mark.one_backend

REDIS_URL = "redis://127.0.0.1:6379/0"
GENERIC_FAILURE = "The email or password is not correct"
OFFICE = "203.0.113.7"


def _redis_or_skip() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return client


@pytest.fixture(params=["memory", "redis"])
def store(request):
    """The throttle's store: memory, or Redis under a key prefix of this test's own."""
    if request.param == "memory":
        yield {"RATELIMIT_STORAGE_URI": "memory://"}
        return
    client = _redis_or_skip()
    prefix = f"portal-test-sessions-{uuid.uuid4().hex}"
    yield {
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "LOGIN_THROTTLE_KEY_PREFIX": prefix,
        "RATELIMIT_KEY_PREFIX": f"{prefix}-limiter",
    }
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
    client.close()


@pytest.fixture
def app_overrides(store):
    return store


def _attempt(app, email, password, address=OFFICE):
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = address
    data = {"email": email, "password": password, "csrf_token": csrf_token(browser)}
    return browser.post("/auth/login", data=data)


def _people(world):
    return [
        world.admin,
        world.coordinator_cl,
        world.coordinator_gb,
        world.member_cl,
        world.member_gb,
        world.observer_gb,
    ]


def test_a_hundred_and_ten_successful_logins_from_one_address_are_never_throttled(app, world):
    people = itertools.cycle(_people(world))
    answers = {_attempt(app, next(people).email, PASSWORD).status_code for _ in range(110)}
    assert answers == {302}


def test_ten_failures_lock_the_account_from_any_address(app, world):
    for n in range(10):
        _attempt(app, world.member_gb.email, "wrong password here", address=f"198.51.100.{n}")
    locked = _attempt(app, world.member_gb.email, PASSWORD, address="192.0.2.200")
    assert locked.status_code == 422
    assert GENERIC_FAILURE in locked.get_data(as_text=True)
    # Others at the same addresses are not affected.
    assert _attempt(app, world.member_cl.email, PASSWORD, address="198.51.100.1").status_code == 302


def test_nine_failures_then_a_success_start_the_count_afresh(app, world):
    for _ in range(9):
        _attempt(app, world.member_gb.email, "wrong password here")
    assert _attempt(app, world.member_gb.email, PASSWORD).status_code == 302
    for _ in range(9):
        _attempt(app, world.member_gb.email, "wrong password here")
    assert _attempt(app, world.member_gb.email, PASSWORD).status_code == 302


def test_a_locked_account_and_an_unknown_address_answer_alike(app, world):
    for email in (world.member_gb.email, "nobody@example.org"):
        for _ in range(10):
            _attempt(app, email, "wrong password here")
    locked = _attempt(app, world.member_gb.email, PASSWORD)
    unknown = _attempt(app, "nobody@example.org", PASSWORD)
    assert locked.status_code == unknown.status_code == 422
    assert GENERIC_FAILURE in locked.get_data(as_text=True)
    assert GENERIC_FAILURE in unknown.get_data(as_text=True)


def test_fifty_failures_from_one_address_block_it_for_every_account(app, world):
    for n in range(50):
        _attempt(app, f"guess{n}@example.org", "wrong password here")
    blocked = _attempt(app, world.member_gb.email, PASSWORD)
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.get_data(as_text=True)
    assert _attempt(app, world.member_gb.email, PASSWORD, address="192.0.2.1").status_code == 302


def test_ipv6_addresses_of_one_network_share_a_count(app, world):
    for n in range(50):
        _attempt(app, f"guess{n}@example.org", "wrong", address=f"2001:db8:1:2::{n + 1:x}")
    assert (
        _attempt(app, world.member_gb.email, PASSWORD, address="2001:db8:1:2::ffff").status_code
        == 429
    )
    assert (
        _attempt(app, world.member_gb.email, PASSWORD, address="2001:db8:1:3::1").status_code == 302
    )


@pytest.mark.parametrize("store", ["redis"], indirect=True)  # memory is per process by design
def test_two_app_instances_sharing_redis_share_the_count(app, world, store, database_url, tmp_path):
    other = build_app(database_url, tmp_path / "other-instance", **store)
    try:
        for worker in itertools.islice(itertools.cycle([app, other]), 10):
            _attempt(worker, world.member_gb.email, "wrong password here")
        for worker in (app, other):
            assert _attempt(worker, world.member_gb.email, PASSWORD).status_code == 422
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.mark.parametrize("store", ["memory"], indirect=True)
def test_the_lock_ends_after_15_minutes(app, world):
    start = utcnow()
    with time_machine.travel(start, tick=False):
        for _ in range(10):
            _attempt(app, world.member_gb.email, "wrong password here")
    with time_machine.travel(start + timedelta(minutes=14, seconds=50), tick=False):
        assert _attempt(app, world.member_gb.email, PASSWORD).status_code == 422
    with time_machine.travel(start + timedelta(minutes=15, seconds=1), tick=False):
        assert _attempt(app, world.member_gb.email, PASSWORD).status_code == 302


@pytest.mark.parametrize("store", ["memory"], indirect=True)
def test_failures_older_than_15_minutes_are_forgotten(app, world):
    start = utcnow()
    with time_machine.travel(start, tick=False):
        for _ in range(9):
            _attempt(app, world.member_gb.email, "wrong password here")
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        _attempt(app, world.member_gb.email, "wrong password here")
        assert _attempt(app, world.member_gb.email, PASSWORD).status_code == 302


@pytest.mark.parametrize("store", ["memory"], indirect=True)
def test_a_password_reset_by_mail_lifts_the_lock(app, world, session):
    from portal.accounts.models import PasswordReset
    from portal.core.tokens import new_token

    for _ in range(10):
        _attempt(app, world.member_gb.email, "wrong password here")
    token, token_hash = new_token()
    session.add(
        PasswordReset(
            user_id=world.member_gb.id,
            token_hash=token_hash,
            expires_at=utcnow() + timedelta(hours=1),
        )
    )
    session.commit()
    browser = app.test_client()
    new_password = "a brand new passphrase"
    data = {"password": new_password, "confirm": new_password}
    data["csrf_token"] = csrf_token(browser, f"/auth/reset/{token}")
    assert browser.post(f"/auth/reset/{token}", data=data).status_code == 302
    assert _attempt(app, world.member_gb.email, new_password).status_code == 302


@pytest.mark.parametrize("app_overrides", [{"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0"}])
def test_logins_still_work_while_the_store_is_unreachable(app, world, caplog):
    assert _attempt(app, world.member_gb.email, "wrong password here").status_code == 422
    assert _attempt(app, world.member_gb.email, PASSWORD).status_code == 302
    assert "Login throttle store unreachable" in caplog.text


@pytest.mark.parametrize("app_overrides", [{"LOGIN_RATE_LIMIT": "3 per minute"}])
def test_password_reset_requests_stay_limited_per_address(client, world):
    token = csrf_token(client, "/auth/forgot")
    answers = [
        client.post(
            "/auth/forgot", data={"email": world.member_gb.email, "csrf_token": token}
        ).status_code
        for _ in range(4)
    ]
    assert answers == [302, 302, 302, 429]

"""Delivery against a real SMTP server: retries, permanent failures, leases, two workers."""

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.core.db import utcnow
from portal.core.extensions import db
from portal.notifications.models import OutboxMessage, OutboxStatus
from portal.notifications.worker import run_once
from tests.helpers.notifications import queue_plain, run_worker
from tests.notifications.conftest import Inbox, start_server

ROOT = Path(__file__).resolve().parents[2]


def _rows(session) -> list[OutboxMessage]:
    session.expire_all()
    return session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def _sent_count(session) -> int:
    session.rollback()  # a fresh snapshot of what the other process committed
    query = select(func.count()).where(OutboxMessage.status == OutboxStatus.SENT)
    return session.scalar(query)


def test_the_cli_worker_once_delivers_and_says_so(app, session, smtp_inbox):
    queue_plain(session, 3)
    result = app.test_cli_runner().invoke(args=["outbox", "work", "--once"])
    assert "3 sent, 0 failed" in result.output
    assert sorted(smtp_inbox.message_ids()) == sorted(r.message_id for r in _rows(session))
    assert {r.status for r in _rows(session)} == {OutboxStatus.SENT}


def test_server_down_then_up_loses_nothing(app, session, smtp_port):
    queue_plain(session, 4)
    before = utcnow()
    tally = run_worker(app)
    assert (tally.sent, tally.failed) == (0, 4)
    for row in _rows(session):
        assert row.status == OutboxStatus.PENDING
        assert row.attempts == 1
        assert "Connection refused" in row.last_error or "ConnectionRefused" in row.last_error
        assert row.next_attempt_at > before  # waits before the next try
    inbox = Inbox()
    controller = start_server(inbox, smtp_port)
    try:
        assert run_worker(app).sent == 0  # not due yet: the backoff holds
        assert run_worker(app, later=timedelta(hours=1)).sent == 4
    finally:
        controller.stop()
    assert sorted(inbox.message_ids()) == sorted(r.message_id for r in _rows(session))
    assert {r.status for r in _rows(session)} == {OutboxStatus.SENT}


def test_421_is_retried_with_growing_backoff_then_delivered(app, session, smtp_inbox):
    queue_plain(session, 1)
    smtp_inbox.mode = "421"
    base = app.config["OUTBOX_RETRY_BASE"]

    start = utcnow()
    run_worker(app)
    [row] = _rows(session)
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
    assert "421" in row.last_error
    assert start + base * 0.5 <= row.next_attempt_at <= utcnow() + base  # jitter: half to all
    first_delay = row.next_attempt_at

    run_worker(app)  # too early: nothing is tried
    assert (_rows(session)[0].attempts, smtp_inbox.refused) == (1, 1)

    later = timedelta(hours=1)
    run_worker(app, later=later)
    [row] = _rows(session)
    assert row.attempts == 2
    assert row.next_attempt_at - (utcnow() + later) >= base * 2 * 0.5 - timedelta(seconds=5)
    assert row.next_attempt_at > first_delay

    smtp_inbox.mode = "accept"
    assert run_worker(app, later=timedelta(hours=3)).sent == 1
    [row] = _rows(session)
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.SENT, 3, None)
    assert smtp_inbox.message_ids() == [row.message_id]


def test_550_is_marked_failed_and_never_retried(app, session, smtp_inbox):
    queue_plain(session, 1)
    smtp_inbox.mode = "550"
    assert run_worker(app).failed == 1
    [row] = _rows(session)
    assert row.status == OutboxStatus.FAILED
    assert "550" in row.last_error and "No such mailbox" in row.last_error
    smtp_inbox.mode = "accept"
    assert run_worker(app, later=timedelta(days=2)).sent == 0
    assert (_rows(session)[0].attempts, smtp_inbox.envelopes) == (1, [])


def test_transient_failures_give_up_after_the_configured_tries(app, session, smtp_inbox):
    queue_plain(session, 1)
    smtp_inbox.mode = "421"
    for hours in range(3):
        run_worker(app, later=timedelta(days=hours), max_attempts=3)
    [row] = _rows(session)
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, 3)
    assert row.last_error.startswith("gave up after 3 attempts")


def test_a_stalled_server_times_out_and_the_message_waits(app, session, smtp_inbox):
    queue_plain(session, 1)
    smtp_inbox.mode, smtp_inbox.stall_seconds = "stall", 60
    started = time.monotonic()
    assert run_worker(app).failed == 1
    assert time.monotonic() - started < 30  # MAIL_TIMEOUT is 2 s here; the server would wait 60
    [row] = _rows(session)
    assert row.status == OutboxStatus.PENDING
    assert "timed out" in row.last_error.lower()


def test_a_lease_still_running_is_left_alone_and_an_expired_one_taken_over(
    app, session, smtp_inbox
):
    queue_plain(session, 2)
    with app.app_context():
        from portal.notifications.worker import WorkerSettings, claim_batch

        settings = WorkerSettings.from_config(app.config)
        claimed, _ = claim_batch(db.session, "dead-worker", settings, utcnow())
    assert len(claimed) == 2
    assert {(r.status, r.leased_by) for r in _rows(session)} == {
        (OutboxStatus.SENDING, "dead-worker")
    }
    assert run_worker(app).sent == 0  # the lease holds
    lease = app.config["OUTBOX_LEASE"]
    assert run_worker(app, later=lease + timedelta(seconds=1)).sent == 2
    assert len(smtp_inbox.envelopes) == 2


@pytest.mark.usefixtures("smtp_inbox")
def test_two_workers_on_postgresql_deliver_1000_messages_exactly_once(
    app, session, smtp_inbox, backend
):
    if backend["name"] != "postgresql":
        pytest.skip("SQLite has no SKIP LOCKED: one worker there")
    queue_plain(session, 1000)
    results, errors = {}, []

    def worker(name: str) -> None:
        try:
            with app.app_context():
                from portal.notifications.worker import WorkerSettings

                settings = WorkerSettings.from_config(app.config, batch_size=25)
                results[name] = run_once(db.session, worker=name, settings=settings).sent
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    received = Counter(smtp_inbox.message_ids())
    assert len(received) == 1000
    assert set(received.values()) == {1}
    assert results["one"] + results["two"] == 1000
    assert results["one"] > 0 and results["two"] > 0  # both took part
    assert (
        session.scalar(select(func.count()).where(OutboxMessage.status == OutboxStatus.SENT))
        == 1000
    )


def test_a_worker_killed_mid_batch_leaves_its_messages_to_another(
    app, session, smtp_inbox, database_url
):
    queue_plain(session, 12)
    smtp_inbox.stall_after, smtp_inbox.stall_seconds = 5, 30
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.notifications.worker_process",
            database_url,
            app.instance_path,
            str(smtp_inbox.port),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        deadline = time.monotonic() + 60
        while _sent_count(session) < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # the sixth message is now stuck in the stalled server
        assert process.poll() is None
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    rows = _rows(session)
    assert [r.status for r in rows].count(OutboxStatus.SENT) == 5
    assert {r.status for r in rows[5:]} == {OutboxStatus.SENDING}

    smtp_inbox.stall_after = None
    assert run_worker(app).sent == 0  # the dead worker's lease still holds
    later = app.config["OUTBOX_LEASE"] + timedelta(seconds=1)
    assert run_worker(app, later=later).sent == 7
    received = Counter(smtp_inbox.message_ids())
    assert sorted(received) == sorted(r.message_id for r in rows)
    assert set(received.values()) == {1}


def test_the_worker_loop_drains_then_stops_when_asked(app, session, smtp_inbox):
    from portal.notifications.worker import work_forever

    queue_plain(session, 3)
    answers = iter([False, False, True])
    with app.app_context():
        work_forever(db.session, poll_interval=0.01, should_stop=lambda: next(answers, True))
    assert len(smtp_inbox.envelopes) == 3

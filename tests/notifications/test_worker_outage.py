"""`flask outbox work` outlives a database restart (SECURITY 37): it waits and carries on, and
every message is delivered once, without restarting the worker."""

import threading
import time
from collections import Counter

from sqlalchemy import select

from portal.core.extensions import db
from portal.notifications.models import OutboxMessage, OutboxStatus
from portal.notifications.worker import work_forever
from tests.helpers.forwarder import forwarder, relayed_app  # noqa: F401 - fixtures
from tests.helpers.notifications import queue_plain


def test_the_worker_loop_waits_out_a_database_restart(
    session,
    smtp_inbox,
    forwarder,  # noqa: F811 - the fixture
    relayed_app,  # noqa: F811
):
    app = relayed_app(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_inbox.port, MAIL_USE_TLS=False, MAIL_TIMEOUT=2
    )
    stop = threading.Event()
    failures = []

    def work() -> None:
        with app.app_context():
            try:
                work_forever(db.session, poll_interval=0.05, should_stop=stop.is_set)
            except Exception as error:  # what the test reports if the loop dies
                failures.append(error)

    forwarder.down()
    worker = threading.Thread(target=work)
    worker.start()
    try:
        queue_plain(session, 3)  # committed while the worker cannot reach the database
        time.sleep(0.5)  # several passes of the loop meet the dead database
        assert worker.is_alive(), failures
        assert smtp_inbox.envelopes == []

        forwarder.up()
        deadline = time.monotonic() + 10
        while len(smtp_inbox.envelopes) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert worker.is_alive(), failures
    finally:
        stop.set()
        worker.join(timeout=10)
    rows = session.scalars(select(OutboxMessage)).all()
    assert {row.status for row in rows} == {OutboxStatus.SENT}
    received = Counter(smtp_inbox.message_ids())
    assert sorted(received) == sorted(row.message_id for row in rows)
    assert set(received.values()) == {1}

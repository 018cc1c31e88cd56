"""The outbox worker: claim a batch under a lease, hand it over, record what happened.

Several workers on several hosts share the outbox on PostgreSQL: a batch is claimed with
`FOR UPDATE SKIP LOCKED`, so two workers never claim the same row, and marked SENDING with
a lease. A worker that dies leaves its lease to expire; the rows then become claimable
again. SQLite has no SKIP LOCKED (it locks the whole file while writing): run one worker.

Before a claimed mail is built, the object it names is checked against its reader's rights
as they are now (notifications/readable.py): a mail they may no longer open is WITHDRAWN,
never sent and never retried.

A mail queued for many (one batch of rendered parts, one row of personal values per person)
is filled in here, when it is built (OutboxMessage.body_text and the rest).

Before it claims any mail, each pass runs the work requests leave to it (Feature.outbox_steps:
a new series' later invitations, so they exist before its mails' readers follow a link).

A mail accepted by the server is marked SENT in its own commit right after; a crash between
the two resends it once after the lease, with the same Message-ID (receivers may drop it).
"""

import logging
import os
import random
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, text, update
from sqlalchemy.orm import Session

from portal.core.db import utcnow
from portal.notifications.delivery import Envelope, Failure, build_mail, classify, open_transport
from portal.notifications.models import OutboxMessage, OutboxStatus
from portal.notifications.readable import accounts_of, no_longer_readable
from portal.web.error_handlers import is_connection_error
from portal.web.features import outbox_steps

log = logging.getLogger("portal.outbox")
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class WorkerSettings:
    batch_size: int
    lease: timedelta
    max_attempts: int
    retry_base: timedelta
    retry_cap: timedelta

    @classmethod
    def from_config(cls, config, **overrides) -> "WorkerSettings":
        values = {
            "batch_size": config["OUTBOX_BATCH_SIZE"],
            "lease": config["OUTBOX_LEASE"],
            "max_attempts": config["OUTBOX_MAX_ATTEMPTS"],
            "retry_base": config["OUTBOX_RETRY_BASE"],
            "retry_cap": config["OUTBOX_RETRY_CAP"],
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


@dataclass
class Tally:
    sent: int = 0
    failed: int = 0  # not delivered this time, whether it will be retried or not
    withdrawn: int = 0  # its reader may no longer open what it names

    def add(self, other: "Tally") -> None:
        self.sent += other.sent
        self.failed += other.failed
        self.withdrawn += other.withdrawn

    @property
    def handled(self) -> int:
        return self.sent + self.failed + self.withdrawn

    def summary(self) -> str:
        withdrawn = f", {self.withdrawn} withdrawn" if self.withdrawn else ""
        return f"{self.sent} sent, {self.failed} failed{withdrawn}"


def worker_name() -> str:
    """host:pid:random, written on the rows a worker holds (the admin page shows it)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def _due(now: datetime):
    waiting = and_(
        OutboxMessage.status == OutboxStatus.PENDING,
        or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
    )
    abandoned = and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.leased_until < now)
    return or_(waiting, abandoned)


def claim_batch(
    session: Session, worker: str, settings: WorkerSettings, now: datetime
) -> tuple[list[Envelope], Tally]:
    """Lease up to batch_size due messages to `worker`; return them ready to send, and the
    tally of those set aside at once: withdrawn (their reader may no longer open what they
    name) or failed (they could not even be built).

    The attempt is counted at claim time, so a message that kills its worker every time
    still reaches max_attempts and stops.
    """
    # A materialised CTE: the locking SELECT runs exactly once (a plain IN-subquery may be
    # re-run by the planner and claim more than batch_size rows).
    candidates = (
        select(OutboxMessage.id)
        .where(_due(now))
        .order_by(OutboxMessage.id)
        .limit(settings.batch_size)
        .with_for_update(skip_locked=True)
        .cte("claimable")
        .prefix_with("MATERIALIZED")
    )
    claimed_ids = session.scalars(
        update(OutboxMessage)
        .where(OutboxMessage.id == candidates.c.id)
        .values(
            status=OutboxStatus.SENDING,
            leased_by=worker,
            leased_until=now + settings.lease,
            attempts=OutboxMessage.attempts + 1,
        )
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    ).all()
    session.commit()
    set_aside = Tally()
    if not claimed_ids:
        return [], set_aside
    rows = session.scalars(
        select(OutboxMessage).where(OutboxMessage.id.in_(claimed_ids)).order_by(OutboxMessage.id)
    ).all()
    withdrawn = {row.id for row in _withdraw_unreadable(session, worker, rows)}
    set_aside.withdrawn = len(withdrawn)
    envelopes = []
    for row in rows:
        if row.id in withdrawn:
            continue
        try:
            envelopes.append(Envelope(row.id, row.kind, build_mail(row)))
        except Exception as error:  # a message that cannot be built never will be
            _record_failure(session, worker, row.id, row.attempts, classify(error), settings, now)
            set_aside.failed += 1
    session.commit()
    return envelopes, set_aside


WITHDRAWN_REASON = "withdrawn: the recipient may no longer open what it names"


def _withdraw_unreadable(
    session: Session, worker: str, rows: list[OutboxMessage]
) -> list[OutboxMessage]:
    """Mark WITHDRAWN the claimed mails whose reader may no longer open what they name."""
    naming = [row for row in rows if row.subject_kind is not None]
    if not naming:
        return []
    people = accounts_of(session, (row.recipient_user_id for row in naming))
    failing = no_longer_readable(session, naming, lambda row: people.get(row.recipient_user_id))
    if failing:
        session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id.in_([row.id for row in failing]),
                OutboxMessage.leased_by == worker,
                OutboxMessage.status == OutboxStatus.SENDING,
            )
            .values(status=OutboxStatus.WITHDRAWN, last_error=WITHDRAWN_REASON, leased_until=None)
            .execution_options(synchronize_session=False)
        )
        log.info("outbox: %d mails withdrawn, no longer visible to their readers", len(failing))
    return failing


def _mine(worker: str, message_id: int):
    """Only the lease holder writes the outcome: a late worker cannot undo another's work."""
    return and_(
        OutboxMessage.id == message_id,
        OutboxMessage.leased_by == worker,
        OutboxMessage.status == OutboxStatus.SENDING,
    )


def _mark_sent(session: Session, worker: str, message_id: int, now: datetime) -> None:
    """One commit per accepted mail, so a worker that dies resends at most the one in hand.

    On PostgreSQL the commit does not wait for the disk (synchronous_commit off, for this
    transaction only): a crash of the database server itself may forget the last fraction of
    a second of SENT marks and those mails go again, with the same Message-ID.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL synchronous_commit TO OFF"))
    session.execute(
        update(OutboxMessage)
        .where(_mine(worker, message_id))
        .values(status=OutboxStatus.SENT, sent_at=now, last_error=None, leased_until=None)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def retry_delay(attempts: int, settings: WorkerSettings) -> timedelta:
    """Exponential backoff with jitter: base·2^(n-1), capped, then between half and all of it."""
    ceiling = min(settings.retry_cap, settings.retry_base * 2 ** max(attempts - 1, 0))
    return ceiling * random.uniform(0.5, 1.0)  # noqa: S311 - spreading retries, not a secret


def _record_failure(
    session: Session,
    worker: str,
    message_id: int,
    attempts: int,
    failure: Failure,
    settings: WorkerSettings,
    now: datetime,
) -> None:
    values: dict = {"last_error": failure.reason, "leased_until": None}
    if failure.permanent or attempts >= settings.max_attempts:
        values["status"] = OutboxStatus.FAILED
        if not failure.permanent:
            values["last_error"] = f"gave up after {attempts} attempts; {failure.reason}"[:2000]
    else:
        values["status"] = OutboxStatus.PENDING
        values["next_attempt_at"] = now + retry_delay(attempts, settings)
    session.execute(
        update(OutboxMessage)
        .where(_mine(worker, message_id))
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def _attempts(session: Session, message_id: int) -> int:
    return session.scalar(select(OutboxMessage.attempts).where(OutboxMessage.id == message_id))


def send_batch(
    session: Session,
    worker: str,
    envelopes: list[Envelope],
    settings: WorkerSettings,
    clock: Clock = utcnow,
) -> Tally:
    """Hand over each claimed message; one commit per outcome, so a crash loses nothing."""
    tally = Tally()
    deadline = clock() + settings.lease * 0.8  # stop well before another worker may take over
    transport = open_transport()
    try:
        for index, envelope in enumerate(envelopes):
            if clock() >= deadline:
                log.warning("lease nearly over; %d messages left to others", len(envelopes) - index)
                break
            try:
                transport.send(envelope)
            except Exception as error:
                failure = classify(error)
                tally.failed += 1
                if failure.server_unreachable:
                    # Every remaining message would meet the same dead server: retry later.
                    for waiting in envelopes[index:]:
                        attempts = _attempts(session, waiting.id)
                        _record_failure(
                            session, worker, waiting.id, attempts, failure, settings, clock()
                        )
                    tally.failed += len(envelopes) - index - 1
                    session.commit()
                    log.warning("outbox: server unavailable (%s)", failure.reason)
                    break
                attempts = _attempts(session, envelope.id)
                _record_failure(session, worker, envelope.id, attempts, failure, settings, clock())
                session.commit()
                continue
            _mark_sent(session, worker, envelope.id, clock())
            tally.sent += 1
    finally:
        transport.close()
    return tally


def run_once(
    session: Session,
    *,
    worker: str | None = None,
    settings: WorkerSettings | None = None,
    limit: int | None = None,
    clock: Clock = utcnow,
) -> Tally:
    """Send batches until nothing is due (or `limit` messages were tried)."""
    worker = worker or worker_name()
    settings = settings or WorkerSettings.from_config(current_app.config)
    before_sending(session)
    total = Tally()
    while limit is None or total.handled < limit:
        envelopes, set_aside = claim_batch(session, worker, settings, clock())
        if not envelopes and not set_aside.handled:
            break
        result = send_batch(session, worker, envelopes, settings, clock)
        result.add(set_aside)
        total.add(result)
        if result.sent == 0 and envelopes:
            break  # everything failed: wait for the backoff instead of spinning
    return total


def before_sending(session: Session) -> int:
    """The features' work left by requests for the worker (Feature.outbox_steps): a new
    series' later invitations, before any mail is claimed; how many items were done."""
    done = sum(step(session) for step in outbox_steps(current_app))
    if done:
        log.info("outbox: %d items written before sending", done)
    return done


def work_forever(session: Session, *, poll_interval: float, should_stop: Callable[[], bool]):
    """The `flask outbox work` loop: drain, sleep, repeat, until asked to stop."""
    worker = worker_name()
    settings = WorkerSettings.from_config(current_app.config)
    log.info("outbox worker %s started", worker)
    while not should_stop():
        try:
            tally = run_once(session, worker=worker, settings=settings)
        except Exception as error:
            if not is_connection_error(error):
                raise
            # The database restarted or is unreachable: what was claimed stays under its
            # lease; try again after the pause (pool_pre_ping replaces the dead connections).
            log.warning("outbox worker %s: database unavailable (%s)", worker, type(error).__name__)
            _discard(session)
        else:
            if tally.handled:
                log.info("outbox worker %s: %s", worker, tally.summary())
        deadline = time.monotonic() + poll_interval
        while not should_stop() and time.monotonic() < deadline:
            time.sleep(min(0.5, poll_interval))
    log.info("outbox worker %s stopped", worker)


def _discard(session: Session) -> None:
    try:
        session.rollback()
    except Exception:  # the connection is gone: rolling back cannot reach it either
        session.close()

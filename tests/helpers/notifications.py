"""Rows in the outbox for the delivery tests, and a way to run a worker in the app."""

from datetime import timedelta

from sqlalchemy import insert

from portal.core.db import utcnow
from portal.core.extensions import db
from portal.notifications.models import OutboxMessage
from portal.notifications.worker import Tally, WorkerSettings, before_sending, run_once


def queue_plain(session, count: int = 1, kind: str = "meeting_changed") -> list[int]:
    """`count` small messages to distinct addresses, committed; their ids in order."""
    rows = [
        {
            "created_at": utcnow(),
            "kind": kind,
            "recipient": f"person{n}@example.org",
            "subject": f"[TLP:GREEN] Message {n}",
            "stored_text": f"Text of message {n}",
            "stored_html": f"<p>Text of message {n}</p>",
            "message_id": f"<outbox-test-{n}@demo.portal>",
            "attempts": 0,
        }
        for n in range(count)
    ]
    ids = session.scalars(insert(OutboxMessage).returning(OutboxMessage.id), rows).all()
    session.commit()
    return sorted(ids)


def run_worker(app, *, later: timedelta = timedelta(0), **settings) -> Tally:
    """One `outbox work --once` pass, as if the clock showed now + `later`."""
    with app.app_context():
        chosen = WorkerSettings.from_config(app.config, **settings)
        return run_once(db.session, settings=chosen, clock=lambda: utcnow() + later)


def worker_first_step(app) -> int:
    """The outbox worker's first step alone, what requests leave to it before any mail is
    sent (a new meeting's invitation mails, a new series' later invitations): how many
    meetings and series it completed."""
    with app.app_context():
        return before_sending(db.session)

"""`flask reminders run`: every reminder job, each idempotent; cron runs it every few minutes.

A job takes (session, now), queues what is due through the outbox, records what it queued
(portal.notifications.reminder_log) and returns how many. Other features add theirs here.
"""

from collections.abc import Callable
from datetime import datetime

import click
from flask.cli import AppGroup
from sqlalchemy.orm import Session

from portal.db import utcnow
from portal.extensions import db
from portal.meetings.reminders import queue_meeting_reminders

ReminderJob = Callable[[Session, datetime], int]

REMINDER_JOBS: list[tuple[str, ReminderJob]] = [
    ("meetings", queue_meeting_reminders),
]

reminders_cli = AppGroup("reminders", help="Reminders of meetings and other dated things.")


def run_reminders(session: Session, now: datetime) -> dict[str, int]:
    """Run every job in its own transaction; one failing job does not hold back the others."""
    counts = {}
    for name, job in REMINDER_JOBS:
        counts[name] = job(session, now)
        session.commit()
    return counts


@reminders_cli.command("run")
def reminders_run() -> None:
    """Queue the reminders now due (idempotent)."""
    for name, count in run_reminders(db.session, utcnow()).items():
        click.echo(f"{name}: {count} reminders queued")

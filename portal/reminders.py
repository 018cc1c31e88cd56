"""`flask reminders run`: every reminder job, for cron; each sends a reminder at most once.

A job is a function (session, now) -> number of mails queued. Each records what it sent in
`sent_reminders` (portal.core.reminder_log) under a unique key, so running it again (cron runs it
every few minutes) queues nothing twice. Features add their jobs here.
"""

from collections.abc import Callable
from datetime import datetime

import click
from flask.cli import AppGroup
from sqlalchemy.orm import Session

from portal.actions import reminders as action_reminders
from portal.core.db import utcnow
from portal.core.extensions import db
from portal.meetings.reminders import queue_meeting_reminders
from portal.trainings.reminders import queue_training_reminders

ReminderJob = Callable[[Session, datetime], int]


def _daily(job: Callable[[Session, object], int]) -> ReminderJob:
    """Action item reminders are by day (UTC), not by the minute."""
    return lambda session, now: job(session, now.date())


# Every reminder job, run in this order, each in its own transaction.
REMINDER_JOBS: list[tuple[str, ReminderJob]] = [
    ("meetings", queue_meeting_reminders),
    ("due_soon", _daily(action_reminders.due_soon)),
    ("overdue", _daily(action_reminders.overdue)),
    ("weekly_summary", _daily(action_reminders.weekly_summary)),
    ("trainings", queue_training_reminders),
]


def run_reminders(session: Session, now: datetime) -> dict[str, int]:
    """Run every job; one failing job's mails roll back without holding back the others'."""
    queued = {}
    for name, job in REMINDER_JOBS:
        queued[name] = job(session, now)
        session.commit()
    return queued


reminders_cli = AppGroup("reminders", help="Reminder mails (cron, every few minutes).")


@reminders_cli.command("run")
def run_command() -> None:
    """Queue the reminders now due in the outbox (idempotent: a second run sends nothing)."""
    for name, count in run_reminders(db.session, utcnow()).items():
        click.echo(f"{name}: {count} reminders queued")

"""`flask reminders run`: the reminder jobs, for cron; each sends a reminder at most once.

A job is a function (session, today) -> number of mails queued. Each records what it
sent in `sent_reminders` (portal.reminder_log) under a unique key, so a second run the
same day queues nothing twice.
"""

from collections.abc import Callable
from datetime import date

import click
from flask.cli import AppGroup
from sqlalchemy.orm import Session

from portal.actions import reminders as action_reminders
from portal.db import utcnow
from portal.extensions import db

ReminderJob = Callable[[Session, date], int]

# Every reminder job, run in this order. Other features add theirs here.
REMINDER_JOBS: list[ReminderJob] = [
    action_reminders.due_soon,
    action_reminders.overdue,
    action_reminders.weekly_summary,
]


def run_reminders(session: Session, today: date) -> dict[str, int]:
    """Run every job for `today`; each job's mails commit together with its records."""
    queued = {}
    for job in REMINDER_JOBS:
        queued[job.__name__] = job(session, today)
        session.commit()
    return queued


reminders_cli = AppGroup("reminders", help="Reminder mails (run daily from cron).")


@reminders_cli.command("run")
def run_command() -> None:
    """Queue today's reminders in the outbox (idempotent: a second run sends nothing)."""
    for name, count in run_reminders(db.session, utcnow().date()).items():
        click.echo(f"{name}: {count} queued")

"""The flask commands that run what every feature declares: `flask reminders run` (the
declared reminder jobs, for cron) and `flask seed-demo` (the declared demo seeders). Each
feature's own commands (outbox, documents, demo-code) come with its declaration."""

import os
from datetime import datetime

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.orm import Session

from portal.core.db import utcnow
from portal.core.extensions import db
from portal.web.features import DemoData, demo_seeders, reminder_jobs


def run_reminders(session: Session, now: datetime) -> dict[str, int]:
    """Run every job, in the declared order, each in its own transaction: one failing job's
    mails roll back without holding back the others'."""
    queued = {}
    for name, job in reminder_jobs(current_app):
        queued[name] = job(session, now)
        session.commit()
    return queued


reminders_cli = AppGroup("reminders", help="Reminder mails (cron, every few minutes).")


@reminders_cli.command("run")
def run_reminders_command() -> None:
    """Queue the reminders now due in the outbox (idempotent: a second run sends nothing)."""
    for name, count in run_reminders(db.session, utcnow()).items():
        click.echo(f"{name}: {count} reminders queued")


def seed_demo(session: Session, password: str, totp_secret: str | None = None) -> list[str]:
    """Create what is missing of every feature's demo data; return what to tell the person.

    Each seeder sees the rows of those before it (flushed). Administrators and coordinators
    without a second factor get `totp_secret` (a new random one when not given).
    """
    demo = DemoData(password=password, totp_secret=totp_secret)
    for seeder in demo_seeders(current_app):
        seeder.seed(session, demo)
        session.flush()
    return demo.report


@click.command("seed-demo")
@with_appcontext
@click.option(
    "--password",
    default=lambda: os.environ.get("PORTAL_DEMO_PASSWORD"),
    help="Password of every demo account (or PORTAL_DEMO_PASSWORD).",
)
@click.option(
    "--totp-secret",
    default=lambda: os.environ.get("PORTAL_DEMO_TOTP_SECRET"),
    help="Authenticator key (base32) of the demo administrators and coordinators "
    "(or PORTAL_DEMO_TOTP_SECRET; a new random one by default).",
)
def seed_demo_command(password: str | None, totp_secret: str | None) -> None:
    """Load the demo parties, MoUs, working groups and accounts (idempotent)."""
    refuse_in_production("seed-demo")
    if not password:
        raise click.UsageError("Give --password or set PORTAL_DEMO_PASSWORD.")
    report = seed_demo(db.session, password, totp_secret)
    db.session.commit()
    for line in report:
        click.echo(line)


def refuse_in_production(command: str) -> None:
    if current_app.config.get("PORTAL_ENV") == "production":
        raise click.ClickException(f"{command} refuses to run under the production configuration.")


def register_commands(app: Flask) -> None:
    app.cli.add_command(reminders_cli)
    app.cli.add_command(seed_demo_command)

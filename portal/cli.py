"""flask commands: seed-demo, outbox send."""

import os

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from portal.demo import seed_demo
from portal.extensions import db
from portal.notifications.delivery import send_pending
from portal.reminders import reminders_cli

outbox_cli = AppGroup("outbox", help="The outbox of email messages.")


@outbox_cli.command("send")
@click.option("--limit", default=500, show_default=True, help="Messages to send at most.")
def outbox_send(limit: int) -> None:
    """Deliver pending messages (SMTP, or .eml files under instance/mail/ with no MAIL_SERVER)."""
    sent, failed = send_pending(db.session, limit=limit)
    click.echo(f"{sent} sent, {failed} failed")


@click.command("seed-demo")
@with_appcontext
@click.option(
    "--password",
    default=lambda: os.environ.get("PORTAL_DEMO_PASSWORD"),
    help="Password of every demo account (or PORTAL_DEMO_PASSWORD).",
)
def seed_demo_command(password: str | None) -> None:
    """Load the demo parties, MoUs, working groups and accounts (idempotent)."""
    if current_app.config.get("PORTAL_ENV") == "production":
        raise click.ClickException("seed-demo refuses to run under the production configuration.")
    if not password:
        raise click.UsageError("Give --password or set PORTAL_DEMO_PASSWORD.")
    accounts = seed_demo(db.session, password)
    db.session.commit()
    click.echo("Demo accounts (password as given):")
    for email, role, party in accounts:
        click.echo(f"  {email:32} {role:12} {party}")


def register_cli(app: Flask) -> None:
    app.cli.add_command(outbox_cli)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(reminders_cli)

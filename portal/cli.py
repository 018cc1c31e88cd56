"""flask commands: seed-demo, demo-code, outbox (send, work, digest), reminders (reminders.py),
documents verify (documents/integrity.py)."""

import os
import signal

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from portal.accounts.models import User
from portal.accounts.two_factor import fresh_code
from portal.core.extensions import db
from portal.demo import seed_demo
from portal.documents.integrity import documents_cli
from portal.notifications.digests import send_digests
from portal.notifications.worker import run_once, work_forever
from portal.reminders import reminders_cli

outbox_cli = AppGroup("outbox", help="The outbox of email messages.")


@outbox_cli.command("work")
@click.option("--once", is_flag=True, help="Send what is due, then exit (for cron).")
@click.option("--limit", type=int, default=None, help="With --once: messages to try at most.")
def outbox_work(once: bool, limit: int | None) -> None:
    """Deliver the outbox (SMTP, or .eml files under instance/mail/ with no MAIL_SERVER).

    Without --once it runs until SIGTERM or Ctrl-C, finishing the message in hand.
    """
    if once:
        tally = run_once(db.session, limit=limit)
        click.echo(tally.summary())
        return
    stopping = []

    def stop(signum, frame) -> None:
        stopping.append(signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    work_forever(
        db.session,
        poll_interval=current_app.config["OUTBOX_POLL_SECONDS"],
        should_stop=lambda: bool(stopping),
    )


@outbox_cli.command("send")
@click.option("--limit", default=500, show_default=True, help="Messages to try at most.")
def outbox_send(limit: int) -> None:
    """Send what is due once (the same as `outbox work --once`)."""
    tally = run_once(db.session, limit=limit)
    click.echo(tally.summary())


@outbox_cli.command("digest")
def outbox_digest() -> None:
    """Queue each person's daily digest of the day's held notifications (once a day each)."""
    count = send_digests(db.session)
    db.session.commit()
    click.echo(f"{count} digests queued")


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
    _refuse_in_production("seed-demo")
    if not password:
        raise click.UsageError("Give --password or set PORTAL_DEMO_PASSWORD.")
    accounts = seed_demo(db.session, password, totp_secret)
    db.session.commit()
    click.echo("Demo accounts (password as given):")
    for email, role, party in accounts:
        click.echo(f"  {email:32} {role:12} {party}")
    admin = accounts[0][0]
    secret = db.session.scalar(select(User.totp_secret).where(User.email == admin))
    click.echo(
        "Administrators and coordinators also give a code from an authenticator app.\n"
        f"  Their key: {secret}  (add it to an app such as FreeOTP or Aegis), or print\n"
        f"  the code of the moment with: flask demo-code {admin}"
    )


def _refuse_in_production(command: str) -> None:
    if current_app.config.get("PORTAL_ENV") == "production":
        raise click.ClickException(f"{command} refuses to run under the production configuration.")


@click.command("demo-code")
@with_appcontext
@click.argument("email")
def demo_code_command(email: str) -> None:
    """Print the authenticator code a demo account may log in with now (not in production)."""
    _refuse_in_production("demo-code")
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.has_second_factor:
        raise click.ClickException(f"{email} has no second factor.")
    code = fresh_code(user)
    if code is None:
        raise click.ClickException("Both codes of this minute were used: try again in 30 s.")
    click.echo(code)


def register_cli(app: Flask) -> None:
    app.cli.add_command(outbox_cli)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(demo_code_command)
    app.cli.add_command(documents_cli)

"""`flask outbox send|work|digest`: delivering the outbox and the daily digests (cron or a
service)."""

import signal

import click
from flask import current_app
from flask.cli import AppGroup

from portal.core.extensions import db
from portal.notifications.digests import send_digests
from portal.notifications.worker import run_once, work_forever

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

"""`flask --app bench.app bench-seed`: seed ten years of a large ministry (bench/ministry.py).

The command belongs to the benchmark, not to the portal: a deployment never needs it, and
no feature owns "all of the data at once" (ARCHITECTURE.md: a feature declares its own
commands; no module sits loose at the top of portal/). So it lives here and is registered
on the portal's own app by bench/app.py, which `make bench` and bench/run.py name with
`--app bench.app`; the portal's import contracts and `wsgi.py` stay as they are.
"""

import os
import time

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select, text

from bench import ministry
from portal.core.extensions import db
from portal.meetings.models import Meeting
from portal.web.commands import refuse_in_production, seed_demo


@click.command("bench-seed")
@with_appcontext
@click.option(
    "--scale",
    type=float,
    default=1.0,
    show_default=True,
    help="1 = ten years of a large ministry (20,000 meetings...); 0.01 = a hundredth.",
)
@click.option(
    "--password",
    default=lambda: os.environ.get("PORTAL_DEMO_PASSWORD"),
    help="Password of every account (or PORTAL_DEMO_PASSWORD).",
)
@click.option(
    "--totp-secret",
    default=lambda: os.environ.get("PORTAL_DEMO_TOTP_SECRET"),
    help="Authenticator key of the demo coordinators (or PORTAL_DEMO_TOTP_SECRET).",
)
def bench_seed(scale: float, password: str | None, totp_secret: str | None) -> None:
    """The demo data plus ten years of a large ministry, in bulk, into an empty database."""
    refuse_in_production("bench-seed")
    if not password:
        raise click.UsageError("Give --password or set PORTAL_DEMO_PASSWORD.")
    if scale <= 0:
        raise click.BadParameter("a positive number", param_hint="--scale")
    started = time.monotonic()
    counted = seed_database(scale, password, totp_secret)
    for name, count in counted.items():
        click.echo(f"{name:>14}: {count:,}")
    click.echo(f"seeded at scale {scale:g} in {time.monotonic() - started:.0f} s")


def seed_database(scale: float, password: str, totp_secret: str | None = None) -> dict:
    """seed-demo, then the ministry; refuses a database that has more than the demo."""
    session = db.session
    if session.scalar(select(func.count()).select_from(Meeting)) > 10:
        raise click.ClickException("This database already has meetings: seed an empty one.")
    seed_demo(session, password, totp_secret)
    session.commit()
    counted = ministry.seed(session, scale, password)
    session.commit()
    if session.get_bind().dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    return counted

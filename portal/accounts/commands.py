"""`flask demo-code`: the authenticator code a demo account may log in with now."""

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from portal.accounts.models import User
from portal.accounts.two_factor import fresh_code
from portal.core.extensions import db
from portal.web.commands import refuse_in_production


@click.command("demo-code")
@with_appcontext
@click.argument("email")
def demo_code_command(email: str) -> None:
    """Print the authenticator code a demo account may log in with now (not in production)."""
    refuse_in_production("demo-code")
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.has_second_factor:
        raise click.ClickException(f"{email} has no second factor.")
    code = fresh_code(user)
    if code is None:
        raise click.ClickException("Both codes of this minute were used: try again in 30 s.")
    click.echo(code)

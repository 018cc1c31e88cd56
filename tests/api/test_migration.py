"""Revision 0026_api_tokens goes up and down on a populated database (the demo, and a token),
leaving everything else as it was."""

from datetime import timedelta

from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select, text

from portal.accounts.models import Party, User
from portal.api.models import ApiToken, TokenScope
from portal.core.db import utcnow
from portal.core.extensions import db
from portal.mous.models import Mou
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import (  # noqa: F401  (a fixture)
    demo_app,
    revision_below,
    schema_differences,
)

BEFORE = revision_below("0026_api_tokens")


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_api_tokens_go_up_and_down_on_a_populated_database(demo_app):  # noqa: F811
    with demo_app.app_context():
        person = db.session.scalar(select(User).order_by(User.id))
        db.session.add(
            ApiToken(
                user_id=person.id,
                name="dashboard",
                token_hash="0" * 64,
                prefix="ptk_000000",
                scope=TokenScope.READ,
                expires_at=utcnow() + timedelta(days=30),
            )
        )
        db.session.commit()
        kept = {model: _count(model) for model in (Party, User, Mou)}
        db.session.commit()  # PostgreSQL: no open read holds the tables the downgrade alters

        downgrade(directory=MIGRATIONS, revision=BEFORE)
        db.session.remove()
        assert "api_tokens" not in inspect(db.engine).get_table_names()
        assert {model: _count(model) for model in kept} == kept
        assert db.session.scalar(text("SELECT version_num FROM alembic_version")) == BEFORE
        db.session.commit()

        upgrade(directory=MIGRATIONS)
        db.session.remove()
        assert _count(ApiToken) == 0
        assert {model: _count(model) for model in kept} == kept
        db.session.remove()
    assert schema_differences(demo_app) == []
    with demo_app.app_context():
        db.engine.dispose()

"""The migrations build the schema the models describe, and take it down again, with data in it."""

from email.utils import make_msgid

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from portal.accounts.models import Party, User
from portal.audit.models import AuditEvent, AuditEventImmutable
from portal.audit.services import record
from portal.core.extensions import db
from portal.documents.search import is_search_index_table
from portal.mous.models import Mou, WorkingGroup
from portal.notifications.models import OutboxMessage, OutboxStatus
from tests.conftest import BACKENDS, MIGRATIONS, build_app
from tests.helpers.migrations import (  # noqa: F401  (demo_app, fresh_app: fixtures)
    demo_app,
    fresh_app,
    new_postgres_database,
    schema_differences,
)

DEMO_PASSWORD = "demo password for the migration test"


def _tables(app) -> set[str]:
    """The tables, less SQLite's full-text index (made by the documents migration, no model)."""
    with app.app_context():
        names = inspect(db.engine).get_table_names()
    return {name for name in names if not is_search_index_table(name)}


def _model_tables() -> set[str]:
    return set(db.metadata.tables)


def _upgrade(app) -> None:
    with app.app_context():
        upgrade(directory=MIGRATIONS)


def _downgrade(app) -> None:
    with app.app_context():
        downgrade(directory=MIGRATIONS, revision="base")


def _version(app) -> list[str]:
    with app.app_context(), db.engine.connect() as connection:
        return list(connection.scalars(text("SELECT version_num FROM alembic_version")))


def _head() -> str:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    return ScriptDirectory.from_config(config).get_current_head()


def _seed_demo(app):
    # `flask` pushes an app context before running a command; the test runner does not.
    with app.app_context():
        return app.test_cli_runner().invoke(args=["seed-demo", "--password", DEMO_PASSWORD])


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_the_model_knows_every_table():
    # Guards the tests below: they compare against the models' tables.
    assert {
        "parties",
        "users",
        "mous",
        "working_groups",
        "working_group_members",
        "audit_events",
        "outbox_messages",
    } <= _model_tables()


def test_upgrade_downgrade_upgrade_on_an_empty_database(fresh_app):  # noqa: F811
    _upgrade(fresh_app)
    assert _tables(fresh_app) == _model_tables() | {"alembic_version"}
    assert _version(fresh_app) == [_head()]

    _downgrade(fresh_app)
    assert _tables(fresh_app) == {"alembic_version"}
    assert _version(fresh_app) == []

    _upgrade(fresh_app)
    assert _tables(fresh_app) == _model_tables() | {"alembic_version"}
    assert _version(fresh_app) == [_head()]


def test_migrated_schema_matches_the_models(fresh_app):  # noqa: F811
    _upgrade(fresh_app)
    assert schema_differences(fresh_app) == []


def test_downgrade_with_data_then_upgrade_again(demo_app):  # noqa: F811
    with demo_app.app_context():
        admin = db.session.scalar(select(User).where(User.email == "admin@demo.portal"))
        record(db.session, "login", actor=admin)
        record(db.session, "mou.updated", actor=admin, object_type="mou", object_id=1, note="é")
        for status in (OutboxStatus.PENDING, OutboxStatus.SENT):
            db.session.add(
                OutboxMessage(
                    kind="invitation",
                    recipient="someone@example.org",
                    recipient_user_id=admin.id,
                    subject="Invitation",
                    body_text="Hello",
                    body_html="<p>Hello</p>",
                    message_id=make_msgid(domain="demo.portal"),
                    status=status,
                )
            )
        db.session.commit()
    assert _count(demo_app, Party) == 8
    assert _count(demo_app, Mou) == 7
    assert _count(demo_app, WorkingGroup) == 6
    assert _count(demo_app, User) == 8
    assert _count(demo_app, AuditEvent) == 2
    assert _count(demo_app, OutboxMessage) == 2

    _downgrade(demo_app)
    assert _tables(demo_app) == {"alembic_version"}

    _upgrade(demo_app)
    assert _tables(demo_app) == _model_tables() | {"alembic_version"}
    assert _version(demo_app) == [_head()]
    for model in (Party, User, Mou, AuditEvent, OutboxMessage):
        assert _count(demo_app, model) == 0, model.__tablename__
    assert schema_differences(demo_app) == []
    # The rebuilt schema takes the demo data again.
    result = _seed_demo(demo_app)
    assert result.exit_code == 0, result.output
    assert _count(demo_app, Mou) == 7


def test_audit_events_cannot_be_changed_or_deleted_through_the_orm(session, world):
    event = AuditEvent(action="login", actor_id=world.member_gb.id, details={"via": "form"})
    session.add(event)
    session.commit()
    event_id = event.id

    event.action = "logout"
    with pytest.raises(AuditEventImmutable):
        session.commit()
    session.rollback()

    session.delete(session.get(AuditEvent, event_id))
    with pytest.raises(AuditEventImmutable):
        session.commit()
    session.rollback()

    with Session(session.get_bind()) as other:
        stored = other.get(AuditEvent, event_id)
        assert stored is not None
        assert stored.action == "login"
        assert stored.details == {"via": "form"}


if "postgresql" in BACKENDS:

    def test_postgres_refuses_update_and_delete_of_audit_events(tmp_path):
        """Even raw SQL, bypassing the application, cannot rewrite the audit trail."""
        with new_postgres_database() as url:
            app = build_app(url, tmp_path / "instance")
            _upgrade(app)
            try:
                with app.app_context():
                    engine = db.engine
                    with engine.begin() as connection:
                        event_id = connection.scalar(
                            text(
                                "INSERT INTO audit_events (occurred_at, action, details) "
                                "VALUES (now(), 'login', '{}') RETURNING id"
                            )
                        )
                    for statement in (
                        "UPDATE audit_events SET action = 'forged' WHERE id = :id",
                        "DELETE FROM audit_events WHERE id = :id",
                    ):
                        with (
                            pytest.raises(DBAPIError, match="append-only"),
                            engine.begin() as connection,
                        ):
                            connection.execute(text(statement), {"id": event_id})
                    with engine.connect() as connection:
                        rows = connection.execute(text("SELECT id, action FROM audit_events"))
                        assert [tuple(row) for row in rows] == [(event_id, "login")]
                    # Downgrading removes the guard with the table.
                    downgrade(directory=MIGRATIONS, revision="base")
                    with engine.connect() as connection:
                        guard = connection.scalar(
                            text(
                                "SELECT count(*) FROM pg_proc "
                                "WHERE proname = 'audit_events_append_only'"
                            )
                        )
                    assert guard == 0
            finally:
                with app.app_context():
                    db.session.remove()
                    db.engine.dispose()

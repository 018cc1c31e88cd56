"""Revision 0023_points_of_contact goes up and down on a populated database (the demo, with
its points of contact and their history), leaving everything else as it was."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select, text

from portal.accounts.models import Party, User
from portal.contacts.models import ContactChange, PointOfContact
from portal.core.extensions import db
from portal.mous.models import Mou
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import demo_app, schema_differences  # noqa: F401  (a fixture)

BEFORE = "0018_externals"
TABLES = {"points_of_contact", "point_of_contact_changes"}


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _seed_demo(app) -> None:
    result = app.test_cli_runner().invoke(args=["seed-demo", "--password", "demo-password-1234"])
    assert result.exit_code == 0, result.output


def test_points_of_contact_go_up_and_down_on_a_populated_database(demo_app):  # noqa: F811
    with demo_app.app_context():
        assert _count(PointOfContact) == 8  # four a party under each of the two model MoUs
        contact = db.session.scalar(select(PointOfContact).order_by(PointOfContact.id))
        db.session.add(ContactChange(contact_id=contact.id, field="role", before="a", after="b"))
        db.session.commit()
        kept = {model: _count(model) for model in (Party, User, Mou)}
        db.session.commit()  # PostgreSQL: no open read holds the tables the downgrade alters

        downgrade(directory=MIGRATIONS, revision=BEFORE)
        db.session.remove()
        assert not TABLES & set(inspect(db.engine).get_table_names())
        assert {model: _count(model) for model in kept} == kept
        version = db.session.scalar(text("SELECT version_num FROM alembic_version"))
        assert version == BEFORE
        db.session.commit()

        upgrade(directory=MIGRATIONS)
        db.session.remove()
        assert set(inspect(db.engine).get_table_names()) >= TABLES
        assert _count(PointOfContact) == 0
        db.session.commit()
        _seed_demo(demo_app)  # the demo fills the rebuilt tables again, the rest untouched
        assert _count(PointOfContact) == 8
        assert {model: _count(model) for model in kept} == kept
        db.session.remove()
    assert schema_differences(demo_app) == []
    with demo_app.app_context():
        db.engine.dispose()

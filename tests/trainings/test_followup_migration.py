"""Migration 0008 goes down and up again on a database holding certificates and feedback."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select

from portal.core.extensions import db
from portal.trainings.certificates import Certificate, new_code
from portal.trainings.feedback import TrainingFeedback
from portal.trainings.models import AttendanceMark, Registration
from tests import factories
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import fresh_app, schema_differences  # noqa: F401  (a fixture)
from tests.helpers.training_followup import make_training, register

FOLLOWUP_TABLES = {"training_certificates", "training_feedback"}


def _populate() -> None:
    session = db.session
    world = factories.make_world(session)
    training = make_training(session, world.mou)
    present = register(session, training, world.member_cl, attendance=AttendanceMark.PRESENT)
    partial = register(session, training, world.member_gb, attendance=AttendanceMark.PARTIAL)
    session.add(Certificate(registration=present, code=new_code(), language="es", minutes=210))
    session.add(TrainingFeedback(registration=present, rating=5, comments="Muy útil"))
    session.add(TrainingFeedback(registration=partial, rating=3))
    session.commit()


def test_0008_down_and_up_on_a_populated_database(fresh_app):  # noqa: F811
    with fresh_app.app_context():
        upgrade(directory=MIGRATIONS)
        _populate()
        downgrade(directory=MIGRATIONS, revision="0007")
        assert not FOLLOWUP_TABLES & set(inspect(db.engine).get_table_names())
        assert db.session.scalar(select(func.count()).select_from(Registration)) == 2
        db.session.remove()
        upgrade(directory=MIGRATIONS)
        assert set(inspect(db.engine).get_table_names()) >= FOLLOWUP_TABLES
        assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0
        _populate_again_after_upgrade()
        db.session.remove()
    assert schema_differences(fresh_app) == []


def _populate_again_after_upgrade() -> None:
    registration = db.session.scalars(select(Registration)).first()
    db.session.add(TrainingFeedback(registration=registration, rating=4))
    db.session.commit()

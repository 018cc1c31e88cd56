"""Revision 0025_commitments goes up and down on a populated database (the demo, with its
commitments, notes, history and links), leaving everything else as it was."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select, text

from portal.accounts.models import Party, User
from portal.actions.models import ActionItem
from portal.commitments.models import (
    ActionLink,
    Commitment,
    CommitmentChange,
    MeetingLink,
    ProgressNote,
)
from portal.core.extensions import db
from portal.meetings.models import Meeting
from portal.mous.models import LineOfCooperation, Mou
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import (  # noqa: F401  (a fixture)
    demo_app,
    revision_below,
    schema_differences,
)

REVISION = "0025_commitments"
BELOW = revision_below(REVISION)
TABLES = {
    "commitments",
    "commitment_parties",
    "commitment_changes",
    "commitment_notes",
    "commitment_meetings",
    "commitment_action_items",
    "commitment_documents",
    "commitment_trainings",
}
KEPT = (Party, User, Mou, LineOfCooperation, Meeting, ActionItem)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _seed_demo(app) -> None:
    result = app.test_cli_runner().invoke(args=["seed-demo", "--password", "demo-password-1234"])
    assert result.exit_code == 0, result.output


def test_commitments_go_down_and_up_on_a_populated_database(demo_app):  # noqa: F811
    with demo_app.app_context():
        # Eight under the Chile–UK MoU's four lines, seven under Chile–Colombia's five.
        assert _count(Commitment) == 15
        assert _count(ProgressNote) > 0 and _count(CommitmentChange) > 15
        assert _count(MeetingLink) + _count(ActionLink) > 0
        lines = db.session.scalar(select(func.count(func.distinct(Commitment.line_id))))
        assert lines == 9  # every line of both MoUs has some
        kept = {model: _count(model) for model in KEPT}
        db.session.commit()  # PostgreSQL: no open read holds the tables the downgrade drops

        downgrade(directory=MIGRATIONS, revision=BELOW)
        db.session.remove()
        assert not TABLES & set(inspect(db.engine).get_table_names())
        assert {model: _count(model) for model in KEPT} == kept
        assert db.session.scalar(text("SELECT version_num FROM alembic_version")) == BELOW
        db.session.commit()

        upgrade(directory=MIGRATIONS, revision=REVISION)
        db.session.remove()
        assert set(inspect(db.engine).get_table_names()) >= TABLES
        assert db.session.scalar(text("SELECT version_num FROM alembic_version")) == REVISION
        assert _count(Commitment) == 0
        db.session.commit()
        upgrade(directory=MIGRATIONS)
        db.session.remove()
        _seed_demo(demo_app)  # the demo fills the rebuilt tables again
        assert _count(Commitment) == 15
        assert {model: _count(model) for model in KEPT} == kept
        db.session.remove()
    assert schema_differences(demo_app) == []
    with demo_app.app_context():
        db.engine.dispose()

"""Revision 0019_search_everything on a populated database: going up fills the terms of
every meeting, agenda item, minutes, action item and training already there; going down
drops them and nothing else."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text

from portal.core.extensions import db
from portal.core.search import SearchEntry, SearchQuery
from portal.core.search_match import matching
from portal.meetings.models import Minutes
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import demo_app, schema_differences  # noqa: F401  (a fixture)

KINDS = {
    "meeting": "meetings",
    "agenda_item": "agenda_items",
    "minutes": "minutes",
    "action_item": "action_items",
    "training": "trainings",
}


def _counts() -> dict[str, tuple[int, int]]:
    """Per kind: (its objects, its entries)."""
    counts = {}
    for kind, table in KINDS.items():
        objects = db.session.scalar(text(f"SELECT count(*) FROM {table}"))  # noqa: S608
        entries = db.session.scalar(
            text("SELECT count(*) FROM search_entries WHERE kind = :kind"), {"kind": kind}
        )
        counts[kind] = (objects, entries)
    return counts


def test_down_and_up_again_on_the_demo_data(demo_app):  # noqa: F811
    with demo_app.app_context():
        # The demo has no minutes: one draft, written through the model.
        meeting_id = db.session.scalar(text("SELECT id FROM meetings ORDER BY id LIMIT 1"))
        db.session.add(Minutes(meeting_id=meeting_id, body_md="Se acordaron capacitaciones."))
        db.session.commit()
        before = _counts()
        db.session.remove()  # its transaction would hold the lock the downgrade waits for
        assert all(objects > 0 for objects, _ in before.values()), before
        assert all(objects == entries for objects, entries in before.values()), before

        downgrade(directory=MIGRATIONS, revision="0018_externals")
        assert "search_entries" not in inspect(db.engine).get_table_names()
        assert db.session.scalar(text("SELECT count(*) FROM meetings")) == before["meeting"][0]
        db.session.commit()  # PostgreSQL: the upgrade alters meetings, which this read holds

        upgrade(directory=MIGRATIONS)
        assert _counts() == before
        # What the migration wrote matches as the app's own terms do: a demo title is found.
        meeting_id, title = db.session.execute(
            text("SELECT id, title_es FROM meetings ORDER BY id LIMIT 1")
        ).one()
        query = SearchQuery.parse(title)
        found = db.session.scalars(
            select(SearchEntry.object_id).where(matching(db.session, "meeting", query))
        )
        assert meeting_id in set(found)
    assert schema_differences(demo_app) == []

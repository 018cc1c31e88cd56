"""Revision 0038_search_scope: the search entries' scope goes down and up on a populated
database (the demo data); coming up, every action item's entry holds the scope its model
declares (its group's and its owners' tokens), so its readers find it at once."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from portal.actions.models import ACTION_TERMS, ActionItem
from portal.core.extensions import db
from portal.core.search import SearchEntry
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import demo_app, revision_below  # noqa: F401  (a fixture)

REVISION = "0038_search_scope"


def _columns() -> set[str]:
    return {column["name"] for column in inspect(db.engine).get_columns("search_entries")}


def _scopes() -> dict[int, str]:
    rows = db.session.execute(
        select(SearchEntry.object_id, SearchEntry.scope).where(SearchEntry.kind == "action_item")
    )
    return {object_id: scope for object_id, scope in rows}


def test_the_action_items_scope_goes_down_and_up_with_data_in_it(demo_app):  # noqa: F811
    with demo_app.app_context():
        declared = {
            item.id: ACTION_TERMS.scope_of(item) for item in db.session.scalars(select(ActionItem))
        }
        assert declared and _scopes() == declared
        db.session.commit()

        downgrade(directory=MIGRATIONS, revision=revision_below(REVISION))
        db.session.remove()
        assert "scope" not in _columns()
        db.session.commit()

        upgrade(directory=MIGRATIONS)
        db.session.remove()
        if db.engine.dialect.name == "postgresql":  # SQLite's search reads no scope
            assert _scopes() == declared

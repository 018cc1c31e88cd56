"""Revision 0030_dashboard_indexes: the dashboard's partial indexes (open action items by due
date, circulated minutes) go down and up on a populated database (the demo data), leaving
the rows as they were."""

from tests.helpers.migrations import (  # noqa: F401  (fixtures)
    assert_indexes_go_down_and_up,
    demo_app,
)

REVISION = "0030_dashboard_indexes"
INDEXES = {("action_items", "ix_action_items_active_due"), ("minutes", "ix_minutes_circulated")}


def test_the_dashboard_indexes_go_down_and_up_with_data_in_them(demo_app):  # noqa: F811
    assert_indexes_go_down_and_up(demo_app, REVISION, INDEXES)

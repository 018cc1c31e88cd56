"""Revision 0032_list_indexes: the owners' index on (user_id, action_item_id) replaces the one
on user_id alone, going down and up on a populated database (the demo data), leaving the
rows as they were."""

from tests.helpers.migrations import (  # noqa: F401  (fixtures)
    assert_indexes_go_down_and_up,
    demo_app,
)

REVISION = "0032_list_indexes"
NEW = ("action_item_owners", "ix_action_item_owners_user_item")
OLD = ("action_item_owners", "ix_action_item_owners_user_id")


def test_the_owners_index_goes_down_and_up_with_data_in_it(demo_app):  # noqa: F811
    assert_indexes_go_down_and_up(demo_app, REVISION, {NEW}, frozenset({OLD}))

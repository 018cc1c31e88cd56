"""Revision 0035_dashboard_version: the invitations' indexes on (user_id, meeting_id, reply),
replacing the one on user_id alone, and on the invitations still to answer, and the open
action items' index in id order go down and up on a populated database (the demo data),
leaving the rows as they were."""

from tests.helpers.migrations import (  # noqa: F401  (fixtures)
    assert_indexes_go_down_and_up,
    demo_app,
)

REVISION = "0035_dashboard_version"
NEW = {
    ("meeting_invitees", "ix_meeting_invitees_user_meeting"),
    ("meeting_invitees", "ix_meeting_invitees_awaiting_reply"),
    ("action_items", "ix_action_items_active_id"),
}
OLD = ("meeting_invitees", "ix_meeting_invitees_user_id")


def test_the_dashboard_indexes_go_down_and_up_with_data_in_them(demo_app):  # noqa: F811
    assert_indexes_go_down_and_up(demo_app, REVISION, NEW, frozenset({OLD}))

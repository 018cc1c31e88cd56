"""Revision 0039_lean_writes: the two indexes another one covers (invitations by meeting,
outbox rows by status) go down and up on a populated database, leaving the rows as they were."""

from tests.helpers.migrations import assert_indexes_go_down_and_up, demo_app  # noqa: F401

REVISION = "0039_lean_writes"
DROPPED = frozenset(
    {
        ("meeting_invitees", "ix_meeting_invitees_meeting_id"),
        ("outbox_messages", "ix_outbox_messages_status"),
    }
)


def test_the_covered_indexes_go_down_and_up_with_data_in_them(demo_app):  # noqa: F811
    assert_indexes_go_down_and_up(demo_app, REVISION, set(), replaced=DROPPED)

"""lean writes: drop two indexes another index already covers

A meeting of 500 invitees writes 500 invitations and 500 outbox rows (a weekly series of 20,
10,000 invitations), and each row pays for every index of its table. Two of them are the
leading column of another: meeting_invitees' (meeting_id) is the first of its unique
(meeting_id, user_id), outbox_messages' (status) the first of ix_outbox_messages_due
(status, next_attempt_at); the wider index answers the same lookups.

Revision ID: 0039_lean_writes
Revises: 0038_search_scope
Create Date: 2026-12-06 13:40:00.000000

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0039_lean_writes"
down_revision = "0038_search_scope"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("meeting_invitees", schema=None) as batch_op:
        batch_op.drop_index("ix_meeting_invitees_meeting_id")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_messages_status")


def downgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_messages_status", ["status"], unique=False)
    with op.batch_alter_table("meeting_invitees", schema=None) as batch_op:
        batch_op.create_index("ix_meeting_invitees_meeting_id", ["meeting_id"], unique=False)

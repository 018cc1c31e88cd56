"""dashboard indexes: a person's invitations and open owned action items from indexes alone

The dashboard's next meetings and "meetings waiting for your reply" start from the reader's
invitations: an index on (user_id, meeting_id, reply) gives the meetings a person is invited
to with their reply without visiting the table (it replaces the index on user_id alone,
which it covers), and a partial one holds only the invitations still to answer, a few among
years of answered ones. "Your open action items" joins a person's owned items (the owners'
index) with the open items in id order: a partial index on the open items' (id,
working_group_id, due_on) answers it without reading the table. Each statement went from
reading every upcoming meeting or every open item of the portal to reading the reader's.

Revision ID: 0035_dashboard_version
Revises: 0034_search_scope
Create Date: 2026-12-06 07:25:00.000000

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0035_dashboard_version"
down_revision = "0034_search_scope"
branch_labels = None
depends_on = None

ACTIVE_ITEM = sa.text("status IN ('open', 'in_progress')")
AWAITING_REPLY = sa.text("reply = 'needs_action' OR reconfirm")


def upgrade():
    with op.batch_alter_table("meeting_invitees", schema=None) as batch_op:
        batch_op.create_index(
            "ix_meeting_invitees_user_meeting", ["user_id", "meeting_id", "reply"], unique=False
        )
        batch_op.create_index(
            "ix_meeting_invitees_awaiting_reply",
            ["user_id", "meeting_id"],
            unique=False,
            postgresql_where=AWAITING_REPLY,
            sqlite_where=AWAITING_REPLY,
        )
        batch_op.drop_index("ix_meeting_invitees_user_id")
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_action_items_active_id",
            ["id", "working_group_id", "due_on"],
            unique=False,
            postgresql_where=ACTIVE_ITEM,
            sqlite_where=ACTIVE_ITEM,
        )


def downgrade():
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.drop_index("ix_action_items_active_id")
    with op.batch_alter_table("meeting_invitees", schema=None) as batch_op:
        batch_op.create_index("ix_meeting_invitees_user_id", ["user_id"], unique=False)
        batch_op.drop_index("ix_meeting_invitees_awaiting_reply")
        batch_op.drop_index("ix_meeting_invitees_user_meeting")

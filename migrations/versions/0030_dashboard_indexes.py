"""dashboard indexes: open action items by due date, circulated minutes

The dashboard counts and previews the reader's open action items and the overdue ones of
the groups they look after, and the minutes waiting for their delegation's approval; open
items and circulated minutes are a few rows among years of closed items and approved
minutes, so each is read through a partial index instead of the whole table.

Revision ID: 0030_dashboard_indexes
Revises: 0029_report_version
Create Date: 2026-12-06 04:20:00.000000

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0030_dashboard_indexes"
down_revision = "0029_report_version"
branch_labels = None
depends_on = None

ACTIVE_ITEM = sa.text("status IN ('open', 'in_progress')")
CIRCULATED = sa.text("state = 'circulated'")


def upgrade():
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_action_items_active_due",
            ["due_on", "id"],
            unique=False,
            postgresql_where=ACTIVE_ITEM,
            sqlite_where=ACTIVE_ITEM,
        )
    with op.batch_alter_table("minutes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_minutes_circulated",
            ["meeting_id"],
            unique=False,
            postgresql_where=CIRCULATED,
            sqlite_where=CIRCULATED,
        )


def downgrade():
    with op.batch_alter_table("minutes", schema=None) as batch_op:
        batch_op.drop_index("ix_minutes_circulated")
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.drop_index("ix_action_items_active_due")

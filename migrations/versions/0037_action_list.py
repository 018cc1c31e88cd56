"""month calendar index: meetings by start, then end

The month page reads the meetings that overlap the month: started before its end, less than
the longest meeting before its start, and ending after its start. With the start alone
indexed, PostgreSQL joined it to the group's end index scanned on its second column (every
meeting ending after the month began: 11,000 entries for a month four years back, 5 ms); on
(starts_at, ends_at) both bounds are read from one index range (EXPLAIN ANALYZE on the
full-scale copy: 6.2 -> 1.1 ms).

Revision ID: 0037_action_list
Revises: 0036_library_versions
Create Date: 2026-12-06 10:30:00.000000

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0037_action_list"
down_revision = "0036_library_versions"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index("ix_meetings_start_end", ["starts_at", "ends_at"], unique=False)


def downgrade():
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index("ix_meetings_start_end")

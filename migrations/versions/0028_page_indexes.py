"""page indexes: a group's meetings by their end, documents by when they were added or changed

The group meetings list counts a group's past or upcoming meetings for its pager, the
dashboard counts the documents added since the reader's last visit, and a working group's
page shows its latest documents: each reads an index instead of the table's rows.

Revision ID: 0028_page_indexes
Revises: 0026_api_tokens
Create Date: 2026-12-06 01:30:00.000000

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0028_page_indexes"
down_revision = "0026_api_tokens"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index("ix_meetings_group_end", ["working_group_id", "ends_at"], unique=False)
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index("ix_documents_created_at", ["created_at"], unique=False)
        batch_op.create_index(
            "ix_documents_group_updated", ["working_group_id", "updated_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index("ix_documents_group_updated")
        batch_op.drop_index("ix_documents_created_at")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index("ix_meetings_group_end")

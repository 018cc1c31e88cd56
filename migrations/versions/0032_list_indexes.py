"""list indexes: a person's owned action items by the owners' index alone

Every list of action items keeps those a person owns outside the groups they read
(portal/actions/access.py): the owners' rows of one person, read from an index on
(user_id, action_item_id) without visiting the table. It replaces the index on user_id
alone, which it covers.

Revision ID: 0032_list_indexes
Revises: 0030_dashboard_indexes
Create Date: 2026-12-06 04:30:00.000000

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0032_list_indexes"
down_revision = "0030_dashboard_indexes"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("action_item_owners", schema=None) as batch_op:
        batch_op.create_index(
            "ix_action_item_owners_user_item", ["user_id", "action_item_id"], unique=False
        )
        batch_op.drop_index("ix_action_item_owners_user_id")


def downgrade():
    with op.batch_alter_table("action_item_owners", schema=None) as batch_op:
        batch_op.create_index("ix_action_item_owners_user_id", ["user_id"], unique=False)
        batch_op.drop_index("ix_action_item_owners_user_item")

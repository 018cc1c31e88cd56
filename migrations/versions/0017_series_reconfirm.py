"""series: a reply kept across a change of time is marked to be confirmed again

Revision ID: 0017_series
Revises: 0016_mailcheck
Create Date: 2026-12-04 22:45:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_series'
down_revision = '0016_mailcheck'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("meeting_invitees", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reconfirm", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("meeting_invitees", schema=None) as batch_op:
        batch_op.drop_column("reconfirm")

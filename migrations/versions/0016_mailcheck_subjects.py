"""mailcheck: each outbox message and digest item names the object it is about
(subject_kind, subject_id), so it is checked against the reader's rights again when it
is sent; a message that fails is marked withdrawn, a digest item that fails is withdrawn

Revision ID: 0016_mailcheck
Revises: 0015_idempotent
Create Date: 2026-12-04

"""
from alembic import op
import sqlalchemy as sa

OLD_STATUSES = ('pending', 'sending', 'sent', 'failed')
NEW_STATUSES = ('pending', 'sending', 'sent', 'failed', 'withdrawn')


def _status(values):
    return sa.Enum(*values, name='outbox_status', native_enum=False, create_constraint=True, length=20)


# revision identifiers, used by Alembic.
revision = '0016_mailcheck'
down_revision = '0015_idempotent'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('digest_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject_kind', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('subject_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject_kind', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('subject_id', sa.Integer(), nullable=True))
        # A new status: the CHECK constraint of the enum is dropped and created again.
        batch_op.alter_column('status', existing_type=_status(OLD_STATUSES), type_=_status(NEW_STATUSES), existing_nullable=False)


def downgrade():
    # A withdrawn message was never sent and must not be: the old schema calls that failed.
    op.execute("UPDATE outbox_messages SET status = 'failed' WHERE status = 'withdrawn'")
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.alter_column('status', existing_type=_status(NEW_STATUSES), type_=_status(OLD_STATUSES), existing_nullable=False)
        batch_op.drop_column('subject_id')
        batch_op.drop_column('subject_kind')

    with op.batch_alter_table('digest_items', schema=None) as batch_op:
        batch_op.drop_column('withdrawn_at')
        batch_op.drop_column('subject_id')
        batch_op.drop_column('subject_kind')

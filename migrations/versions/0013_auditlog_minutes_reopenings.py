"""minutes reopenings (a co-chair reopens approved minutes with a reason); audit events indexed
by the object they are about, for the audit log's object filter

Revision ID: 0013_auditlog
Revises: 0012_sessions
Create Date: 2026-12-04 23:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_auditlog'
down_revision = '0012_sessions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('minutes_reopenings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('minutes_id', sa.Integer(), nullable=False),
    sa.Column('revision_number', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('reopened_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['minutes_id'], ['minutes.id'], name=op.f('fk_minutes_reopenings_minutes_id_minutes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['party_id'], ['parties.id'], name=op.f('fk_minutes_reopenings_party_id_parties')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_minutes_reopenings_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_minutes_reopenings'))
    )
    with op.batch_alter_table('minutes_reopenings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_minutes_reopenings_minutes_id'), ['minutes_id'], unique=False)

    # A plain index: a batch would copy audit_events, which the database keeps append-only.
    op.create_index('ix_audit_events_object', 'audit_events', ['object_type', 'object_id'], unique=False)


def downgrade():
    op.drop_index('ix_audit_events_object', table_name='audit_events')

    with op.batch_alter_table('minutes_reopenings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_minutes_reopenings_minutes_id'))

    op.drop_table('minutes_reopenings')

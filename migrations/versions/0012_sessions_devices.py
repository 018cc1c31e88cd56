"""sessions devices: user_sessions keep the browser and address a login came from (the
sessions page); the per-account failure count leaves users for the throttle's store

Revision ID: 0012_sessions
Revises: 0011_totp
Create Date: 2026-12-04 23:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_sessions'
down_revision = '0011_totp'
branch_labels = None
depends_on = None

LOCK_COLUMNS = ('failed_login_count', 'failed_login_window_start_at', 'locked_until_at')


def upgrade():
    op.add_column('user_sessions', sa.Column('user_agent', sa.String(length=300), nullable=True))
    op.add_column('user_sessions', sa.Column('ip_address', sa.String(length=45), nullable=True))
    # Not a batch: on SQLite it would copy users, whose rows every table references.
    for name in LOCK_COLUMNS:
        op.execute(f'ALTER TABLE users DROP COLUMN {name}')


def downgrade():
    op.add_column('users', sa.Column('failed_login_count', sa.Integer(), server_default='0', nullable=False))
    op.add_column('users', sa.Column('failed_login_window_start_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('users', sa.Column('locked_until_at', sa.DateTime(timezone=True), nullable=True))
    op.execute('ALTER TABLE user_sessions DROP COLUMN ip_address')
    op.execute('ALTER TABLE user_sessions DROP COLUMN user_agent')

"""text skipped: document_versions.text_skipped marks a version whose text was not read
(beyond the parsing bounds, malformed or too large); its document is found by title only

Revision ID: 0014_bounded
Revises: 0013_auditlog
Create Date: 2026-12-04 23:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_bounded'
down_revision = '0013_auditlog'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        'document_versions',
        sa.Column('text_skipped', sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade():
    # Not a batch: on SQLite it would copy document_versions, whose rows others reference.
    op.execute('ALTER TABLE document_versions DROP COLUMN text_skipped')

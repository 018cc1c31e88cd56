"""library versions: counters keying the kept library list and document page

The library's list (/documents/) is kept per reader's rights under the versions of their
MoUs' libraries (`mous.library_version`), and the document page under the document's own
(`documents.page_version`); portal/documents/versions.py declares every change that raises
them, in the same transaction.

Revision ID: 0036_library_versions
Revises: 0035_dashboard_version
Create Date: 2026-12-06 07:30:00.000000

"""

from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0036_library_versions"
down_revision = "0035_dashboard_version"
branch_labels = None
depends_on = None


@contextmanager
def _sqlite_foreign_keys_off():
    """On SQLite a batch copies the table and drops the original, which fails with foreign
    keys on while other tables reference its rows (as in 0029); turned off outside a
    transaction."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    raw = bind.connection.dbapi_connection
    raw.commit()
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        raw.commit()
        raw.execute("PRAGMA foreign_keys=ON")


def upgrade():
    with op.batch_alter_table("mous", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("library_version", sa.Integer(), nullable=False, server_default="1")
        )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("page_version", sa.Integer(), nullable=False, server_default="1")
        )


def downgrade():
    with _sqlite_foreign_keys_off():
        with op.batch_alter_table("documents", schema=None) as batch_op:
            batch_op.drop_column("page_version")
        with op.batch_alter_table("mous", schema=None) as batch_op:
            batch_op.drop_column("library_version")

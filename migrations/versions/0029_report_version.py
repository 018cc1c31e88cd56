"""report version: a counter on each MoU raised by every change its implementation report counts

The report is computed once and kept in each process under the MoU's report_version
(portal/reports/kept.py): every change a section counts raises it in the same transaction.

Revision ID: 0029_report_version
Revises: 0028_page_indexes
Create Date: 2026-12-06 04:10:00.000000

"""

from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0029_report_version"
down_revision = "0028_page_indexes"
branch_labels = None
depends_on = None


@contextmanager
def _sqlite_foreign_keys_off():
    """On SQLite a batch copies the table and drops the original: with foreign keys on, the
    drop of mous fails, every table referencing its rows. SQLite's own procedure for such a
    change turns them off, which only works outside a transaction (as 0018 and 0020 do)."""
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
            sa.Column("report_version", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade():
    with _sqlite_foreign_keys_off(), op.batch_alter_table("mous", schema=None) as batch_op:
        batch_op.drop_column("report_version")

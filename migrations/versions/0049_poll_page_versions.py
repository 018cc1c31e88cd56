"""poll page versions: the counter keying a poll page's shared part

Everyone who opens a poll sees the same answers table and the same list of who has not
answered; that part is kept under the poll's `page_version`, which every change it shows
raises in the same transaction (portal/polls/versions.py). Each reader's forms are theirs.

Revision ID: 0049_poll_page_versions
Revises: 0048_contacts_generation
Create Date: 2026-12-07 10:00:00.000000

"""

from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0049_poll_page_versions"
down_revision = "0048_contacts_generation"
branch_labels = None
depends_on = None


@contextmanager
def _sqlite_foreign_keys_off():
    """On SQLite a batch copies the table and drops the original, which fails with foreign
    keys on while other tables reference its rows (as in 0036); turned off outside a
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
    with op.batch_alter_table("polls", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("page_version", sa.Integer(), nullable=False, server_default="1")
        )


def downgrade():
    with _sqlite_foreign_keys_off():
        with op.batch_alter_table("polls", schema=None) as batch_op:
            batch_op.drop_column("page_version")

"""dashboard generation: one counter keying each reader's kept dashboard

The dashboard's lines and panels span every feature, too many rows to name their versions;
they are kept per reader under one counter (`kept_generations`, row "dashboard") that every
change they count raises in the same transaction (portal/main/dashboard.py declares which).

Revision ID: 0040_dashboard_generation
Revises: 0039_lean_writes
Create Date: 2026-12-06 16:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0040_dashboard_generation"
down_revision = "0039_lean_writes"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "kept_generations",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("generation", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_kept_generations")),
    )
    op.bulk_insert(table, [{"name": "dashboard", "generation": 0}])


def downgrade():
    op.drop_table("kept_generations")

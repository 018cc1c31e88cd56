"""page generation: the counter keying each reader's kept MoU and working-group pages

An MoU's and a working group's page with their panels span too many rows to name their
versions; each reader's page is kept under one counter (`kept_generations`, row
"mou-pages") that every change they show raises in the same transaction
(portal/main/kept_pages.py declares which).

Revision ID: 0041_page_generation
Revises: 0040_dashboard_generation
Create Date: 2026-12-06 17:20:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0041_page_generation"
down_revision = "0040_dashboard_generation"
branch_labels = None
depends_on = None

GENERATIONS = sa.table("kept_generations", sa.column("name"), sa.column("generation"))


def upgrade():
    op.bulk_insert(GENERATIONS, [{"name": "mou-pages", "generation": 0}])


def downgrade():
    op.execute(GENERATIONS.delete().where(GENERATIONS.c.name == "mou-pages"))

"""bulletins generation: the counter keying each reader's kept pages of the CSIRT bulletin list

A reader's page of the bulletin list is kept per reader and query under one counter
(`kept_generations`, row "bulletins") that every change such a page could show raises as the
transaction commits (portal/csirt/kept.py).

Revision ID: 0050_bulletins_generation
Revises: 0049_poll_page_versions
Create Date: 2026-12-07 10:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0050_bulletins_generation"
down_revision = "0049_poll_page_versions"
branch_labels = None
depends_on = None

GENERATIONS = sa.table("kept_generations", sa.column("name"), sa.column("generation"))


def upgrade():
    op.bulk_insert(GENERATIONS, [{"name": "bulletins", "generation": 0}])


def downgrade():
    op.execute(GENERATIONS.delete().where(GENERATIONS.c.name == "bulletins"))

"""search generation: the counter keying each reader's kept search pages

A search page's hits span every kind the search finds (documents, meetings, agenda items,
minutes, action items, trainings, bulletins) and the rules that let a reader open them; each
reader's page is kept under one counter (`kept_generations`, row "search") that every change
the page shows raises in the same transaction (portal/search/kept.py declares which).

Revision ID: 0042_search_generation
Revises: 0041_page_generation
Create Date: 2026-12-06 19:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0042_search_generation"
down_revision = "0041_page_generation"
branch_labels = None
depends_on = None

GENERATIONS = sa.table("kept_generations", sa.column("name"), sa.column("generation"))


def upgrade():
    op.bulk_insert(GENERATIONS, [{"name": "search", "generation": 0}])


def downgrade():
    op.execute(GENERATIONS.delete().where(GENERATIONS.c.name == "search"))

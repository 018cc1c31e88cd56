"""actions generation: the counter keying each reader's kept choices of the action list

What the action list's filter offers a reader (their groups with each one's actions version,
their MoUs' parties) is kept per reader under one counter (`kept_generations`, row "actions")
that every change those choices could show raises as the transaction commits
(portal/actions/filter_choices.py).

Revision ID: 0051_actions_generation
Revises: 0050_bulletins_generation
Create Date: 2026-12-07 14:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0051_actions_generation"
down_revision = "0050_bulletins_generation"
branch_labels = None
depends_on = None

GENERATIONS = sa.table("kept_generations", sa.column("name"), sa.column("generation"))


def upgrade():
    op.bulk_insert(GENERATIONS, [{"name": "actions", "generation": 0}])


def downgrade():
    op.execute(GENERATIONS.delete().where(GENERATIONS.c.name == "actions"))

"""manage people: the invitee picker's first list kept with the management page

The management page's picker offers the first of those who may still be invited to the
meeting; it is the same for every manager, so it is kept with the page's body
(`meeting_manage_pages.picker`) under the page's version (invitees, the MoU's parties, the
parties' codes) and the counter of the accounts it lists (`kept_generations`, row "people",
raised by every change of an account but what a login writes: portal/meetings/manage_kept.py).

Revision ID: 0045_manage_people
Revises: 0043_manage_pages
Create Date: 2026-12-06 22:50:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0045_manage_people"
down_revision = "0044_pending_series"
branch_labels = None
depends_on = None

GENERATIONS = sa.table("kept_generations", sa.column("name"), sa.column("generation"))


def upgrade():
    with op.batch_alter_table("meeting_manage_pages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("picker", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("people_generation", sa.BigInteger(), nullable=True))
    op.bulk_insert(GENERATIONS, [{"name": "people", "generation": 0}])


def downgrade():
    op.execute(GENERATIONS.delete().where(GENERATIONS.c.name == "people"))
    with op.batch_alter_table("meeting_manage_pages", schema=None) as batch_op:
        batch_op.drop_column("people_generation")
        batch_op.drop_column("picker")

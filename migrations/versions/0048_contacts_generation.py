"""contacts generation: the counter keying the kept pages of an MoU's points of contact

Every reader of an MoU's contacts sees the same list, so each page of it is kept under one
counter (`kept_generations`, row "contacts") that every change of a contact or of a party's
name raises as the transaction commits (portal/contacts/kept.py).

Revision ID: 0048_contacts_generation
Revises: 0047_document_pages
Create Date: 2026-12-07 07:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0048_contacts_generation"
down_revision = "0047_document_pages"
branch_labels = None
depends_on = None

GENERATIONS = sa.table("kept_generations", sa.column("name"), sa.column("generation"))


def upgrade():
    op.bulk_insert(GENERATIONS, [{"name": "contacts", "generation": 0}])


def downgrade():
    op.execute(GENERATIONS.delete().where(GENERATIONS.c.name == "contacts"))

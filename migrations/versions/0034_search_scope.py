"""search scope: the search page reads the documents newest first for a common word

A word matching most of the library (two thirds of 10,000 documents) made the search page
filter every match by the access rule and sort them (~25 ms a request). The documents are
now read newest first from an index on (updated_at, id), each asked whether it matches,
until the page is full (portal/documents/search.py). The index is partial (documents with
terms) so that only the search page, whose statement says so, reads by it: the library's
own search keeps its plans.

Revision ID: 0034_search_scope
Revises: 0033_outbox_batches
Create Date: 2026-12-06 07:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0034_search_scope"
down_revision = "0033_outbox_batches"
branch_labels = None
depends_on = None

SEARCHABLE = sa.text("search_terms <> ''")


def upgrade():
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(
            "ix_documents_searchable_updated",
            ["updated_at", "id"],
            unique=False,
            postgresql_where=SEARCHABLE,
            sqlite_where=SEARCHABLE,
        )


def downgrade():
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index("ix_documents_searchable_updated")

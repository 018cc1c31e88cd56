"""document pages: the document page of each document, stored per language

The document page was kept in each server process, so every process and server rendered
each document once, and a restart began again. Stored once in the database, every process
serves the same rendering while its version is the document's `page_version`
(portal/documents/page.py).

Revision ID: 0047_document_pages
Revises: 0046_pending_mails
Create Date: 2026-12-07 06:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0047_document_pages"
down_revision = "0046_pending_mails"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "document_pages",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("layout", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_pages_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", "language", name=op.f("pk_document_pages")),
    )


def downgrade():
    op.drop_table("document_pages")

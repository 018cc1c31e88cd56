"""documents search: distinct search terms on the document's row, with a GIN expression index

On PostgreSQL, document_texts.search_vector (a stored tsvector with a GIN index) becomes
documents.search_terms, the document's distinct folded, stemmed words, with a GIN index on
to_tsvector('simple', search_terms). The planner never chose the old index: it does not
count the cost of reading each row's TOASTed tsvector, so it read them all instead (see
portal/documents/models.py); and on the document's row a search reads one table, not a
join per match. The terms are taken from the stored vectors, so nothing is re-extracted.
Going down rebuilds the vectors from the terms: without the positions and title weights,
which revision 0006's search never read.
On SQLite (FTS5 keeps the index there) both columns stay empty.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 05:20:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

SEARCH_VECTOR = "to_tsvector('simple'::regconfig, search_terms)"


def _postgresql() -> bool:
    return op.get_bind().dialect.name == 'postgresql'


def upgrade():
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_terms', sa.Text(), nullable=True))
    if _postgresql():
        op.execute(
            "UPDATE documents SET search_terms ="
            " array_to_string(tsvector_to_array(document_texts.search_vector), ' ')"
            " FROM document_texts"
            " WHERE document_texts.document_id = documents.id"
            " AND document_texts.search_vector IS NOT NULL"
        )
        op.create_index(
            'ix_documents_search_terms', 'documents', [sa.text(SEARCH_VECTOR)],
            unique=False, postgresql_using='gin',
        )
    with op.batch_alter_table('document_texts', schema=None) as batch_op:
        batch_op.drop_index('ix_document_texts_search_vector', postgresql_using='gin')
        batch_op.drop_column('search_vector')


def downgrade():
    with op.batch_alter_table('document_texts', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'search_vector',
                postgresql.TSVECTOR().with_variant(sa.Text(), 'sqlite'),
                nullable=True,
            )
        )
    if _postgresql():
        op.execute(
            f"UPDATE document_texts SET search_vector = {SEARCH_VECTOR}"
            " FROM documents"
            " WHERE documents.id = document_texts.document_id"
            " AND documents.search_terms IS NOT NULL"
        )
        op.drop_index('ix_documents_search_terms', table_name='documents')
    with op.batch_alter_table('document_texts', schema=None) as batch_op:
        batch_op.create_index(
            'ix_document_texts_search_vector', ['search_vector'], unique=False,
            postgresql_using='gin',
        )
    # Not a batch: on SQLite that copies the table and drops the old one, which (foreign
    # keys on) would delete every version, tag and text through their ON DELETE CASCADE.
    op.execute('ALTER TABLE documents DROP COLUMN search_terms')

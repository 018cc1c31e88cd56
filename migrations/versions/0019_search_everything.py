"""search everything: the folded, stemmed terms of meetings, agenda items, minutes, action
items and trainings (portal/core/search.py), with a GIN index per kind on PostgreSQL and an
FTS5 table on SQLite; filled from the rows already there

Revision ID: 0019_search_everything
Revises: 0018_externals
Create Date: 2026-12-05 22:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

from portal.core.search import terms_of

# revision identifiers, used by Alembic.
revision = "0019_search_everything"
down_revision = "0018_externals"
branch_labels = None
depends_on = None

# Each kind: the statement giving (id, text) of its objects, as its models' keep_terms say.
SOURCES = {
    "meeting": "SELECT id, title_en, title_es, place, description_md FROM meetings",
    "agenda_item": "SELECT id, title, presenter FROM agenda_items",
    "minutes": "SELECT id, body_md FROM minutes",
    "action_item": "SELECT id, title, description_md FROM action_items",
    "training": (
        "SELECT id, title_en, title_es, description_md_en, description_md_es, trainers, venue "
        "FROM trainings"
    ),
}


def upgrade():
    op.create_table(
        "search_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_entries")),
        sa.UniqueConstraint("kind", "object_id", name=op.f("uq_search_entries_kind")),
    )
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    if postgres:
        for kind in SOURCES:
            op.create_index(
                f"ix_search_entries_{kind}",
                "search_entries",
                [sa.text("to_tsvector('simple'::regconfig, terms)")],
                postgresql_using="gin",
                postgresql_where=sa.text(f"kind = '{kind}'"),
            )
        # Statistics on the terms' tsvector: the planner takes none from a partial index, and
        # without them guesses a word common to every minutes rare, reading every match to
        # sort it by date (330 ms over 20,000 minutes) instead of walking the meetings by date
        # and stopping at the page's end (12 ms).
        op.execute(
            "CREATE STATISTICS search_entries_terms ON (to_tsvector('simple'::regconfig, terms))"
            " FROM search_entries"
        )
    else:
        op.execute(
            "CREATE VIRTUAL TABLE search_entries_fts"
            " USING fts5(terms, tokenize='unicode61 remove_diacritics 2')"
        )
    for kind, statement in SOURCES.items():
        for row in bind.execute(sa.text(statement)).all():
            terms = terms_of("\n".join(value or "" for value in row[1:]))
            entry_id = bind.execute(
                sa.text(
                    "INSERT INTO search_entries (kind, object_id, terms) "
                    "VALUES (:kind, :id, :terms) RETURNING id"
                ),
                {"kind": kind, "id": row[0], "terms": terms},
            ).scalar_one()
            if not postgres:
                bind.execute(
                    sa.text("INSERT INTO search_entries_fts (rowid, terms) VALUES (:id, :terms)"),
                    {"id": entry_id, "terms": terms},
                )


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_entries_fts")
    else:
        op.execute("DROP STATISTICS IF EXISTS search_entries_terms")
        for kind in SOURCES:
            op.drop_index(f"ix_search_entries_{kind}", table_name="search_entries")
    op.drop_table("search_entries")

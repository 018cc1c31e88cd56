"""bilingual content: meetings' descriptions, agenda items, action items and documents get
an English and a Spanish version of their title and description

Existing text becomes the version of the language it was written in where that is known:
a document's title and summary take the document's language. Elsewhere the language is
not known (people wrote English and Spanish in the same field), so the text stays in the
English column, the one every reader was shown until now; the "translation missing"
filter finds these for whoever may add the other version.

Down: each field is one column again, holding the English version, else the Spanish one.

Revision ID: 0024_bilingual_content
Revises: 0023_points_of_contact
Create Date: 2026-12-06 01:30:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0024_bilingual_content"
down_revision = "0023_points_of_contact"
branch_labels = None
depends_on = None

# table -> (single-language column, its length or None for Text)
FIELDS = {
    "meetings": (("description_md", None), ("description_html", None)),
    "agenda_items": (("title", 300),),
    "action_items": (("title", 200), ("description_md", None), ("description_html", None)),
    "documents": (("title", 300), ("description_md", None), ("description_html", None)),
}

# For each table, SQL giving the ids of rows known to be written in Spanish.
SPANISH_ROWS = {"documents": "SELECT id FROM documents WHERE language = 'es'"}


def _type(length):
    return sa.String(length=length) if length else sa.Text()


def upgrade():
    # Minutes: one text per language, each saved as revisions of its own language (the
    # revisions so far are the English text's, as the text is).
    op.add_column("minutes", sa.Column("body_md_es", sa.Text(), nullable=False, server_default=""))
    op.add_column(
        "minutes", sa.Column("body_html_es", sa.Text(), nullable=False, server_default="")
    )
    op.add_column(
        "minutes_revisions",
        sa.Column("language", sa.String(length=2), nullable=False, server_default="en"),
    )
    for table, fields in FIELDS.items():
        for name, length in fields:
            op.execute(f"ALTER TABLE {table} RENAME COLUMN {name} TO {name}_en")
            op.add_column(
                table, sa.Column(f"{name}_es", _type(length), nullable=False, server_default="")
            )
        if table not in SPANISH_ROWS:
            continue
        moves = ", ".join(f"{name}_es = {name}_en" for name, _ in fields)
        blanks = ", ".join(f"{name}_en = ''" for name, _ in fields)
        spanish = f"id IN ({SPANISH_ROWS[table]})"
        op.execute(f"UPDATE {table} SET {moves} WHERE {spanish}")
        op.execute(f"UPDATE {table} SET {blanks} WHERE {spanish}")


def downgrade():
    # The Spanish text goes where there was no English one; the Spanish revisions go.
    op.execute(
        "UPDATE minutes SET body_md = body_md_es, body_html = body_html_es "
        "WHERE TRIM(body_md) = '' AND TRIM(body_md_es) <> ''"
    )
    op.execute(
        "DELETE FROM minutes_revisions WHERE language = 'es' AND minutes_id IN "
        "(SELECT minutes_id FROM minutes_revisions WHERE language = 'en')"
    )
    for table, column in (
        ("minutes", "body_md_es"),
        ("minutes", "body_html_es"),
        ("minutes_revisions", "language"),
    ):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    for table, fields in FIELDS.items():
        for name, _ in fields:
            op.execute(
                f"UPDATE {table} SET {name}_en = {name}_es "
                f"WHERE TRIM({name}_en) = '' AND TRIM({name}_es) <> ''"
            )
            # ALTER TABLE in place on both databases (SQLite 3.35+): a batch copy of the
            # table would be refused by the foreign keys pointing at it.
            op.execute(f"ALTER TABLE {table} DROP COLUMN {name}_es")
            op.execute(f"ALTER TABLE {table} RENAME COLUMN {name}_en TO {name}")

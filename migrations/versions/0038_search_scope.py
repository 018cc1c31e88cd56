"""search scope: an action item's entry names who may find it

A member's search walked the action items newest first, asking of each whether the member
may see it and whether it matches (280 ms at 100,000 items for a word in a sixth of them,
none of them the member's). Each item's entry now also holds its scope, the tokens of its
working group and of its owners ("g12 u5 u9", portal/actions/models.py), in a column of its
own, and the kind's GIN index covers terms and scope together: the index gives at once the
matches among the items of the groups a reader reads and those they own, and the access
rule in SQL is still asked of each (portal/actions/search.py).

Revision ID: 0038_search_scope
Revises: 0037_action_list
Create Date: 2026-12-06 10:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0038_search_scope"
down_revision = "0037_action_list"
branch_labels = None
depends_on = None

INDEX = "ix_search_entries_action_item"
WHERE = sa.text("kind = 'action_item'")
TERMS = sa.text("to_tsvector('simple'::regconfig, terms)")
SCOPE = sa.text("to_tsvector('simple'::regconfig, scope)")
# An item's scope, as portal/actions/models.py writes it: its group, then its owners by id.
BACKFILL = """
UPDATE search_entries SET scope = items.scope
FROM (
    SELECT action_items.id, 'g' || action_items.working_group_id || coalesce(
        (SELECT string_agg(' u' || owners.user_id, '' ORDER BY owners.user_id)
         FROM action_item_owners AS owners WHERE owners.action_item_id = action_items.id),
        ''
    ) AS scope
    FROM action_items
) AS items
WHERE search_entries.kind = 'action_item' AND search_entries.object_id = items.id
"""


def upgrade():
    with op.batch_alter_table("search_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scope", sa.Text(), server_default="", nullable=False))
    if op.get_bind().dialect.name == "postgresql":  # SQLite's search (FTS5) reads no scope
        op.execute(BACKFILL)
        op.drop_index(INDEX, table_name="search_entries", postgresql_where=WHERE)
        op.create_index(
            INDEX, "search_entries", [TERMS, SCOPE], postgresql_using="gin", postgresql_where=WHERE
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index(INDEX, table_name="search_entries", postgresql_where=WHERE)
        op.create_index(
            INDEX, "search_entries", [TERMS], postgresql_using="gin", postgresql_where=WHERE
        )
    with op.batch_alter_table("search_entries", schema=None) as batch_op:
        batch_op.drop_column("scope")

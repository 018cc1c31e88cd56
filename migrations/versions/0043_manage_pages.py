"""manage pages: the management page of each meeting, stored per language

Whoever manages a meeting opens its management page often, and the page is the same for
every manager but for their tokens, times, the documents and people they may pick and the
minutes' buttons, which are slots (portal/meetings/manage_kept.py). It is served while its
version is the meeting's `page_version` (raised by every change it shows).

Revision ID: 0043_manage_pages
Revises: 0042_search_generation
Create Date: 2026-12-06 19:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0043_manage_pages"
down_revision = "0042_search_generation"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "meeting_manage_pages",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("layout", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_manage_pages_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", "language", name=op.f("pk_meeting_manage_pages")),
    )


def downgrade():
    op.drop_table("meeting_manage_pages")

"""pending series: the later occurrences of a series still waiting for their invitations

Scheduling a weekly series of 20 for 500 people wrote 10,000 invitations in the request;
the request now writes the first occurrence's and records here that the others are pending.
The outbox worker (or the first write touching the series) copies the first occurrence's
invitees to the later ones and deletes the row (portal/meetings/pending.py).

Revision ID: 0044_pending_series
Revises: 0043_manage_pages
Create Date: 2026-12-06 22:30:00.000000

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0044_pending_series"
down_revision = "0043_manage_pages"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "pending_series_invitations",
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("first_meeting_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["series_id"],
            ["meeting_series.id"],
            name=op.f("fk_pending_series_invitations_series_id_meeting_series"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["first_meeting_id"],
            ["meetings.id"],
            name=op.f("fk_pending_series_invitations_first_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("series_id", name=op.f("pk_pending_series_invitations")),
    )


def downgrade():
    op.drop_table("pending_series_invitations")

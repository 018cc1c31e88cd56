"""pending invitation mails: a new meeting's invitations are written by the outbox worker

Scheduling a meeting for 500 people rendered and queued 500 invitations in the request; the
request now writes the meeting and its invitees and records here that its invitation mails
are pending. The outbox worker (or the first write touching the meeting or its series)
queues them and deletes the row (portal/meetings/pending.py). Going down refuses while a row
is left, since the older code would never mail it.

Revision ID: 0046_pending_mails
Revises: 0045_manage_people
Create Date: 2026-12-07 04:45:00.000000

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0046_pending_mails"
down_revision = "0045_manage_people"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "pending_invitation_mails",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_pending_invitation_mails_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", name=op.f("pk_pending_invitation_mails")),
    )


def downgrade():
    # The older code would never mail these invitations: refuse rather than lose them.
    pending = op.get_bind().execute(sa.text("SELECT count(*) FROM pending_invitation_mails"))
    waiting = pending.scalar()
    if waiting:
        raise RuntimeError(
            f"{waiting} new meetings' invitation mails are still to be written: run "
            "`flask outbox work --once` first, then downgrade"
        )
    op.drop_table("pending_invitation_mails")

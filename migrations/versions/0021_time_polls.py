"""polls: meeting time polls (proposed times, the people asked, their answers)

Revision ID: 0021_time_polls
Revises: 0020_working_hours
Create Date: 2026-12-05 21:59:07.211944

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0021_time_polls"
down_revision = "0020_working_hours"
branch_labels = None
depends_on = None


def upgrade():

    op.create_table(
        "polls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("working_group_id", sa.Integer(), nullable=False),
        sa.Column("title_en", sa.String(length=300), nullable=False),
        sa.Column("title_es", sa.String(length=300), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column(
            "tlp",
            sa.Enum(
                "clear",
                "green",
                "amber",
                "amber_strict",
                "red",
                name="poll_tlp",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "closed",
                "cancelled",
                name="poll_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_polls_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_polls_meeting_id_meetings")
        ),
        sa.ForeignKeyConstraint(
            ["working_group_id"],
            ["working_groups.id"],
            name=op.f("fk_polls_working_group_id_working_groups"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_polls")),
    )
    with op.batch_alter_table("polls", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_polls_working_group_id"), ["working_group_id"], unique=False
        )

    op.create_table(
        "poll_options",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("is_chosen", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["poll_id"],
            ["polls.id"],
            name=op.f("fk_poll_options_poll_id_polls"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_poll_options")),
        sa.UniqueConstraint("poll_id", "starts_at", name=op.f("uq_poll_options_poll_id")),
    )
    with op.batch_alter_table("poll_options", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_poll_options_poll_id"), ["poll_id"], unique=False)

    op.create_table(
        "poll_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["poll_id"],
            ["polls.id"],
            name=op.f("fk_poll_participants_poll_id_polls"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_poll_participants_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_poll_participants")),
        sa.UniqueConstraint("poll_id", "user_id", name=op.f("uq_poll_participants_poll_id")),
    )
    with op.batch_alter_table("poll_participants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_poll_participants_poll_id"), ["poll_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_poll_participants_user_id"), ["user_id"], unique=False)

    op.create_table(
        "poll_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("option_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "answer",
            sa.Enum(
                "yes",
                "if_need_be",
                "no",
                name="poll_answer",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["option_id"],
            ["poll_options.id"],
            name=op.f("fk_poll_answers_option_id_poll_options"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_poll_answers_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_poll_answers")),
        sa.UniqueConstraint("option_id", "user_id", name=op.f("uq_poll_answers_option_id")),
    )
    with op.batch_alter_table("poll_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_poll_answers_option_id"), ["option_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_poll_answers_user_id"), ["user_id"], unique=False)


def downgrade():

    with op.batch_alter_table("poll_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_poll_answers_user_id"))
        batch_op.drop_index(batch_op.f("ix_poll_answers_option_id"))

    op.drop_table("poll_answers")
    with op.batch_alter_table("poll_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_poll_participants_user_id"))
        batch_op.drop_index(batch_op.f("ix_poll_participants_poll_id"))

    op.drop_table("poll_participants")
    with op.batch_alter_table("poll_options", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_poll_options_poll_id"))

    op.drop_table("poll_options")
    with op.batch_alter_table("polls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_polls_working_group_id"))

    op.drop_table("polls")

"""commitments: per line of cooperation of an MoU, with responsible parties, progress notes,
history and links to meetings, action items, documents and trainings

Revision ID: 0025_commitments
Revises: 0024_bilingual_content
Create Date: 2026-12-06 01:13:45.631180

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0025_commitments"
down_revision = "0024_bilingual_content"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("commitments",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("mou_id", sa.Integer(), nullable=False),
    sa.Column("line_id", sa.Integer(), nullable=False),
    sa.Column("title_en", sa.String(length=300), nullable=False),
    sa.Column("title_es", sa.String(length=300), nullable=False),
    sa.Column("target_on", sa.Date(), nullable=False),
    sa.Column("status", sa.Enum("planned", "in_progress", "achieved", "dropped", name="commitment_status", native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column("drop_reason", sa.String(length=500), nullable=False),
    sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("created_by_id", sa.Integer(), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_commitments_created_by_id_users")),
    sa.ForeignKeyConstraint(["line_id"], ["lines_of_cooperation.id"], name=op.f("fk_commitments_line_id_lines_of_cooperation")),
    sa.ForeignKeyConstraint(["mou_id"], ["mous.id"], name=op.f("fk_commitments_mou_id_mous")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_commitments"))
    )
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commitments_line_id"), ["line_id"], unique=False)
        batch_op.create_index("ix_commitments_mou_line_status", ["mou_id", "line_id", "status"], unique=False)
        batch_op.create_index("ix_commitments_mou_status_target", ["mou_id", "status", "target_on"], unique=False)

    op.create_table("commitment_changes",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("commitment_id", sa.Integer(), nullable=False),
    sa.Column("actor_id", sa.Integer(), nullable=True),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("field", sa.String(length=40), nullable=False),
    sa.Column("before", sa.Text(), nullable=False),
    sa.Column("after", sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_commitment_changes_actor_id_users")),
    sa.ForeignKeyConstraint(["commitment_id"], ["commitments.id"], name=op.f("fk_commitment_changes_commitment_id_commitments")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment_changes"))
    )
    with op.batch_alter_table("commitment_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commitment_changes_commitment_id"), ["commitment_id"], unique=False)

    op.create_table("commitment_documents",
    sa.Column("commitment_id", sa.Integer(), nullable=False),
    sa.Column("document_id", sa.Integer(), nullable=False),
    sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("linked_by_id", sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(["commitment_id"], ["commitments.id"], name=op.f("fk_commitment_documents_commitment_id_commitments")),
    sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_commitment_documents_document_id_documents")),
    sa.ForeignKeyConstraint(["linked_by_id"], ["users.id"], name=op.f("fk_commitment_documents_linked_by_id_users")),
    sa.PrimaryKeyConstraint("commitment_id", "document_id", name=op.f("pk_commitment_documents"))
    )
    with op.batch_alter_table("commitment_documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commitment_documents_document_id"), ["document_id"], unique=False)

    op.create_table("commitment_notes",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("commitment_id", sa.Integer(), nullable=False),
    sa.Column("noted_on", sa.Date(), nullable=False),
    sa.Column("body", sa.Text(), nullable=False),
    sa.Column("author_id", sa.Integer(), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_commitment_notes_author_id_users")),
    sa.ForeignKeyConstraint(["commitment_id"], ["commitments.id"], name=op.f("fk_commitment_notes_commitment_id_commitments")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment_notes"))
    )
    with op.batch_alter_table("commitment_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commitment_notes_commitment_id"), ["commitment_id"], unique=False)

    op.create_table("commitment_parties",
    sa.Column("commitment_id", sa.Integer(), nullable=False),
    sa.Column("party_id", sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(["commitment_id"], ["commitments.id"], name=op.f("fk_commitment_parties_commitment_id_commitments")),
    sa.ForeignKeyConstraint(["party_id"], ["parties.id"], name=op.f("fk_commitment_parties_party_id_parties")),
    sa.PrimaryKeyConstraint("commitment_id", "party_id", name=op.f("pk_commitment_parties"))
    )
    with op.batch_alter_table("commitment_parties", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commitment_parties_party_id"), ["party_id"], unique=False)

    op.create_table("commitment_trainings",
    sa.Column("commitment_id", sa.Integer(), nullable=False),
    sa.Column("training_id", sa.Integer(), nullable=False),
    sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("linked_by_id", sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(["commitment_id"], ["commitments.id"], name=op.f("fk_commitment_trainings_commitment_id_commitments")),
    sa.ForeignKeyConstraint(["linked_by_id"], ["users.id"], name=op.f("fk_commitment_trainings_linked_by_id_users")),
    sa.ForeignKeyConstraint(["training_id"], ["trainings.id"], name=op.f("fk_commitment_trainings_training_id_trainings")),
    sa.PrimaryKeyConstraint("commitment_id", "training_id", name=op.f("pk_commitment_trainings"))
    )
    with op.batch_alter_table("commitment_trainings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commitment_trainings_training_id"), ["training_id"], unique=False)

    op.create_table("commitment_meetings",
    sa.Column("commitment_id", sa.Integer(), nullable=False),
    sa.Column("meeting_id", sa.Integer(), nullable=False),
    sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("linked_by_id", sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(["commitment_id"], ["commitments.id"], name=op.f("fk_commitment_meetings_commitment_id_commitments")),
    sa.ForeignKeyConstraint(["linked_by_id"], ["users.id"], name=op.f("fk_commitment_meetings_linked_by_id_users")),
    sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name=op.f("fk_commitment_meetings_meeting_id_meetings")),
    sa.PrimaryKeyConstraint("commitment_id", "meeting_id", name=op.f("pk_commitment_meetings"))
    )
    with op.batch_alter_table("commitment_meetings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commitment_meetings_meeting_id"), ["meeting_id"], unique=False)

    op.create_table("commitment_action_items",
    sa.Column("commitment_id", sa.Integer(), nullable=False),
    sa.Column("action_item_id", sa.Integer(), nullable=False),
    sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("linked_by_id", sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(["action_item_id"], ["action_items.id"], name=op.f("fk_commitment_action_items_action_item_id_action_items")),
    sa.ForeignKeyConstraint(["commitment_id"], ["commitments.id"], name=op.f("fk_commitment_action_items_commitment_id_commitments")),
    sa.ForeignKeyConstraint(["linked_by_id"], ["users.id"], name=op.f("fk_commitment_action_items_linked_by_id_users")),
    sa.PrimaryKeyConstraint("commitment_id", "action_item_id", name=op.f("pk_commitment_action_items"))
    )
    with op.batch_alter_table("commitment_action_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commitment_action_items_action_item_id"), ["action_item_id"], unique=False)



def downgrade():
    with op.batch_alter_table("commitment_action_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_action_items_action_item_id"))

    op.drop_table("commitment_action_items")
    with op.batch_alter_table("commitment_meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_meetings_meeting_id"))

    op.drop_table("commitment_meetings")
    with op.batch_alter_table("commitment_trainings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_trainings_training_id"))

    op.drop_table("commitment_trainings")
    with op.batch_alter_table("commitment_parties", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_parties_party_id"))

    op.drop_table("commitment_parties")
    with op.batch_alter_table("commitment_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_notes_commitment_id"))

    op.drop_table("commitment_notes")
    with op.batch_alter_table("commitment_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_documents_document_id"))

    op.drop_table("commitment_documents")
    with op.batch_alter_table("commitment_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_changes_commitment_id"))

    op.drop_table("commitment_changes")
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.drop_index("ix_commitments_mou_status_target")
        batch_op.drop_index("ix_commitments_mou_line_status")
        batch_op.drop_index(batch_op.f("ix_commitments_line_id"))

    op.drop_table("commitments")

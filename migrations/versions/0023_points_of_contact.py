"""points of contact: per party and MoU, the MoU's and the CSIRT's contacts, with their history

Revision ID: 0023_points_of_contact
Revises: 0022_csirt_bulletins
Create Date: 2026-12-05 22:30:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0023_points_of_contact"
down_revision = "0022_csirt_bulletins"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "points_of_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mou_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("mou", "csirt", name="contact_kind", native_enum=False, create_constraint=True, length=20),
            nullable=False,
        ),
        sa.Column("given_name", sa.String(length=100), nullable=False),
        sa.Column("family_name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column(
            "availability",
            sa.Enum(
                "always",
                "office_hours",
                name="contact_availability",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("office_days", sa.String(length=7), nullable=False),
        sa.Column("office_start", sa.Time(), nullable=True),
        sa.Column("office_end", sa.Time(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("pgp_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("last_verified_on", sa.Date(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["mou_id"], ["mous.id"], name=op.f("fk_points_of_contact_mou_id_mous")),
        sa.ForeignKeyConstraint(["party_id"], ["parties.id"], name=op.f("fk_points_of_contact_party_id_parties")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_points_of_contact_created_by_id_users")),
        sa.ForeignKeyConstraint(["removed_by_id"], ["users.id"], name=op.f("fk_points_of_contact_removed_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_points_of_contact")),
        sa.UniqueConstraint("uid", name=op.f("uq_points_of_contact_uid")),
    )
    with op.batch_alter_table("points_of_contact", schema=None) as batch_op:
        batch_op.create_index("ix_points_of_contact_mou_party", ["mou_id", "party_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_points_of_contact_party_id"), ["party_id"], unique=False)

    op.create_table(
        "point_of_contact_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("before", sa.Text(), nullable=False),
        sa.Column("after", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_point_of_contact_changes_actor_id_users")),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["points_of_contact.id"], name=op.f("fk_point_of_contact_changes_contact_id_points_of_contact")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_point_of_contact_changes")),
    )
    with op.batch_alter_table("point_of_contact_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_point_of_contact_changes_contact_id"), ["contact_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("point_of_contact_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_point_of_contact_changes_contact_id"))
    op.drop_table("point_of_contact_changes")
    with op.batch_alter_table("points_of_contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_points_of_contact_party_id"))
        batch_op.drop_index("ix_points_of_contact_mou_party")
    op.drop_table("points_of_contact")

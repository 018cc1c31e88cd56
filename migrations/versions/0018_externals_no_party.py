"""externals: an external participant belongs to no delegation (users.party_id and
invitations.party_id are NULL exactly for the role external, checked by a constraint)

Going down, every external participant is given back a delegation, the first found of:
the party of the coordinator who invited them to the portal (their accepted invitation),
the party of the coordinator who invited them to their first training, the first party
of the MoU of their first training, the first party. An open invitation of an external
gets its inviter's party, else the first party.

Revision ID: 0018_externals
Revises: 0017_series
Create Date: 2026-12-05 00:10:00.000000

"""

from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0018_externals"
down_revision = "0017_series"
branch_labels = None
depends_on = None

PARTY_BY_ROLE = "(role = 'external') = (party_id IS NULL)"
TABLES = ("users", "invitations")

# A party for each external account, in the order of the docstring; COALESCE keeps the first.
USERS_PARTY_BACK = """
UPDATE users SET party_id = COALESCE(
    (SELECT inviter.party_id FROM invitations
       JOIN users AS inviter ON inviter.id = invitations.invited_by_id
      WHERE invitations.email = users.email AND invitations.accepted_at IS NOT NULL
        AND inviter.party_id IS NOT NULL
      ORDER BY invitations.accepted_at DESC LIMIT 1),
    (SELECT inviter.party_id FROM training_invitations
       JOIN users AS inviter ON inviter.id = training_invitations.invited_by_id
      WHERE training_invitations.email = users.email AND inviter.party_id IS NOT NULL
      ORDER BY training_invitations.id LIMIT 1),
    (SELECT MIN(mou_parties.party_id) FROM training_registrations
       JOIN trainings ON trainings.id = training_registrations.training_id
       JOIN mou_parties ON mou_parties.mou_id = trainings.mou_id
      WHERE training_registrations.user_id = users.id),
    (SELECT MIN(id) FROM parties)
)
WHERE role = 'external'
"""

INVITATIONS_PARTY_BACK = """
UPDATE invitations SET party_id = COALESCE(
    (SELECT inviter.party_id FROM users AS inviter WHERE inviter.id = invitations.invited_by_id),
    (SELECT MIN(id) FROM parties)
)
WHERE role = 'external'
"""


@contextmanager
def _sqlite_foreign_keys_off():
    """On SQLite a batch copies the table and drops the original: with foreign keys on, the
    drop of users fails, every table referencing its rows. SQLite's own procedure for such a
    change turns them off, which only works outside a transaction."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    raw = bind.connection.dbapi_connection
    raw.commit()
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        raw.commit()
        raw.execute("PRAGMA foreign_keys=ON")


def upgrade():
    with _sqlite_foreign_keys_off():
        for table in TABLES:
            with op.batch_alter_table(table, schema=None) as batch_op:
                batch_op.alter_column("party_id", existing_type=sa.Integer(), nullable=True)
            op.execute(f"UPDATE {table} SET party_id = NULL WHERE role = 'external'")
            with op.batch_alter_table(table, schema=None) as batch_op:
                batch_op.create_check_constraint(op.f(f"ck_{table}_party_by_role"), PARTY_BY_ROLE)


def downgrade():
    with _sqlite_foreign_keys_off():
        for table in TABLES:
            with op.batch_alter_table(table, schema=None) as batch_op:
                batch_op.drop_constraint(op.f(f"ck_{table}_party_by_role"), type_="check")
        op.execute(USERS_PARTY_BACK)
        op.execute(INVITATIONS_PARTY_BACK)
        for table in TABLES:
            with op.batch_alter_table(table, schema=None) as batch_op:
                batch_op.alter_column("party_id", existing_type=sa.Integer(), nullable=False)

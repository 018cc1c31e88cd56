"""working hours: each party's working days and hours (on its own clock) and the country (and
optional subdivision) whose public holidays it keeps

Going up, every existing party is given Monday to Friday, 09:00 to 18:00 (Israel, code IL:
Sunday to Thursday), and a country party whose code is a two-letter country code keeps
that country's holidays; an organisation keeps none (it follows the meeting's host).
Going down, the columns are dropped.

Revision ID: 0020_working_hours
Revises: 0019_search_everything
Create Date: 2026-12-05 22:10:00.000000

"""

from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0020_working_hours"
down_revision = "0019_search_everything"
branch_labels = None
depends_on = None

PARTY_WORKING_HOURS = (
    "(work_days IS NULL AND work_start_minute IS NULL AND work_end_minute IS NULL)"
    " OR (work_days IS NOT NULL AND work_start_minute IS NOT NULL"
    " AND work_end_minute IS NOT NULL AND length(work_days) >= 1 AND work_start_minute >= 0"
    " AND work_start_minute < work_end_minute AND work_end_minute <= 1440)"
)
COLUMNS = (
    ("work_days", sa.String(length=7)),
    ("work_start_minute", sa.Integer()),
    ("work_end_minute", sa.Integer()),
    ("holiday_country", sa.String(length=2)),
    ("holiday_subdivision", sa.String(length=10)),
)


@contextmanager
def _sqlite_foreign_keys_off():
    """On SQLite a batch copies the table and drops the original, which every table referencing
    parties would refuse with foreign keys on (as in 0018_externals)."""
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
    with op.batch_alter_table("parties", schema=None) as batch_op:
        for name, type_ in COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
    op.execute(
        "UPDATE parties SET work_days = CASE WHEN code = 'IL' THEN '71234' ELSE '12345' END,"
        " work_start_minute = 540, work_end_minute = 1080"
    )
    op.execute(
        "UPDATE parties SET holiday_country = code"
        " WHERE kind = 'country' AND length(code) = 2"
    )
    with _sqlite_foreign_keys_off():
        with op.batch_alter_table("parties", schema=None) as batch_op:
            batch_op.create_check_constraint(
                op.f("ck_parties_working_hours"), PARTY_WORKING_HOURS
            )


def downgrade():
    with _sqlite_foreign_keys_off():
        with op.batch_alter_table("parties", schema=None) as batch_op:
            batch_op.drop_constraint(op.f("ck_parties_working_hours"), type_="check")
            for name, _ in reversed(COLUMNS):
                batch_op.drop_column(name)

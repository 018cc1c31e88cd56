"""outbox batches: a mail to many is rendered once per group, filled per person when sent

A meeting of 500 invitees queued 500 full mails (text, HTML, .ics) in the request that
scheduled it. Now the request writes one batch per group of readers (language, zone, shape of
their personal values) holding the rendered parts with their slots, and one small row per
recipient with only their own values; the outbox worker fills them in when it sends.

Revision ID: 0033_outbox_batches
Revises: 0032_list_indexes
Create Date: 2026-12-06 04:15:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0033_outbox_batches"
down_revision = "0032_list_indexes"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "outbox_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("text_parts", sa.JSON(), nullable=False),
        sa.Column("html_parts", sa.JSON(), nullable=False),
        sa.Column("ics_parts", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_batches")),
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("batch_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("personal", sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f("ix_outbox_messages_batch_id"), ["batch_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_messages_batch_id_outbox_batches"),
            "outbox_batches",
            ["batch_id"],
            ["id"],
        )


def downgrade():
    _fill_batched_mails(op.get_bind())
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_outbox_messages_batch_id_outbox_batches"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_outbox_messages_batch_id"))
        batch_op.drop_column("personal")
        batch_op.drop_column("batch_id")
    op.drop_table("outbox_batches")


def _fill_batched_mails(connection) -> None:
    """Each mail of a batch gets its own bodies and calendar back, as the worker would fill
    them, so nothing waiting (or kept) loses its text when the batches go. Values kept as
    what they are made from (a reply link's invitation) are made as the worker makes them,
    with the app's key (portal.core.mail_values)."""
    from markupsafe import escape

    from portal.calendar.ics import attendee_line
    from portal.core.mail_values import value_of

    stored = sa.table(
        "outbox_batches",
        sa.column("id", sa.Integer),
        sa.column("text_parts", sa.JSON),
        sa.column("html_parts", sa.JSON),
        sa.column("ics_parts", sa.JSON),
    )
    batches = {row.id: row for row in connection.execute(sa.select(stored))}
    if not batches:
        return
    messages = sa.table(
        "outbox_messages",
        sa.column("id", sa.Integer),
        sa.column("batch_id", sa.Integer),
        sa.column("personal", sa.JSON),
        sa.column("recipient", sa.String),
        sa.column("ics_method", sa.String),
        sa.column("unsubscribe_url", sa.String),
        sa.column("body_text", sa.Text),
        sa.column("body_html", sa.Text),
        sa.column("ics_content", sa.Text),
    )
    rows = connection.execute(
        sa.select(
            messages.c.id,
            messages.c.batch_id,
            messages.c.personal,
            messages.c.recipient,
            messages.c.ics_method,
            messages.c.unsubscribe_url,
        ).where(messages.c.batch_id.is_not(None))
    ).all()

    def fill(parts, values, escaped: bool) -> str:
        filled = list(parts)
        for index in range(1, len(filled), 2):
            value = values[filled[index]]
            filled[index] = str(escape(value)) if escaped else value
        return "".join(filled)

    for row in rows:
        batch = batches[row.batch_id]
        personal = {name: value_of(value) for name, value in (row.personal or {}).items()}
        personal.setdefault("unsubscribe", row.unsubscribe_url)
        ics = None
        if batch.ics_parts:
            line = attendee_line(
                row.recipient, personal["name"], asks_reply=row.ics_method == "REQUEST"
            )
            ics = fill(batch.ics_parts, {"attendee": line}, escaped=False)
        connection.execute(
            sa.update(messages)
            .where(messages.c.id == row.id)
            .values(
                body_text=fill(batch.text_parts, personal, escaped=False),
                body_html=fill(batch.html_parts, personal, escaped=True),
                ics_content=ics,
            )
        )

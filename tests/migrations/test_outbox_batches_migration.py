"""Revision 0033_outbox_batches: mails to many kept as one batch per group of readers and a
small row per person go down and up on a populated database (the demo data, and the change
of one of its meetings mailed to its invitees in batches). Going down gives each batched
mail its own text, HTML and calendar back, exactly as the worker would have filled them,
its reply links signed as the worker signs them."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select, text

from portal.core.db import utcnow
from portal.core.extensions import db
from portal.meetings import notifications as meeting_mail
from portal.meetings.models import Meeting
from portal.notifications.models import OutboxMessage
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import (  # noqa: F401  (a fixture)
    demo_app,
    revision_below,
    schema_differences,
)

REVISION = "0033_outbox_batches"


def _batched_mails() -> dict[int, tuple]:
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.batch_id.is_not(None)))
    return {row.id: (row.body_text, row.body_html, row.ics_content) for row in rows}


def _stored_mails(ids) -> dict[int, tuple]:
    rows = db.session.execute(
        text("SELECT id, body_text, body_html, ics_content FROM outbox_messages")
    )
    return {row.id: tuple(row[1:]) for row in rows if row.id in ids}


def test_outbox_batches_go_down_and_up_and_no_mail_loses_its_text(demo_app):  # noqa: F811
    with demo_app.app_context():
        with demo_app.test_request_context():
            meeting = db.session.scalar(
                select(Meeting)
                .where(Meeting.series_id.is_(None), Meeting.starts_at > utcnow())
                .order_by(Meeting.id)
            )
            meeting_mail.meeting_changed(db.session, meeting, ["time"])
            db.session.commit()
        count = db.session.scalar(select(func.count()).select_from(OutboxMessage))
        filled = _batched_mails()
        assert len(filled) == len(meeting.invitees) > 1
        assert any(ics for _, _, ics in filled.values())
        assert all(text and html for text, html, _ in filled.values())
        # Reply links signed when the mail is read (portal.core.mail_values), going down too.
        assert all("/meetings/reply/" in text for text, _, _ in filled.values())
        db.session.commit()

        downgrade(directory=MIGRATIONS, revision=revision_below(REVISION))
        db.session.remove()
        assert "outbox_batches" not in inspect(db.engine).get_table_names()
        assert _stored_mails(filled) == filled
        db.session.commit()

        upgrade(directory=MIGRATIONS)
        db.session.remove()
        assert "outbox_batches" in inspect(db.engine).get_table_names()
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == count
        # The filled mails read the same through the model (they belong to no batch now).
        rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(filled)))
        assert {row.id: (row.body_text, row.body_html, row.ics_content) for row in rows} == filled
        db.session.commit()
    assert schema_differences(demo_app) == []

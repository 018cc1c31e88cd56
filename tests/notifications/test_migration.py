"""Revision 0005 (notifications) goes down with a message being sent, and up again."""

from email.utils import make_msgid

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from portal.core.extensions import db
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import fresh_app  # noqa: F401  (a fixture)


def test_a_sending_message_becomes_pending_when_the_revision_goes_down(fresh_app):  # noqa: F811
    with fresh_app.app_context():
        upgrade(directory=MIGRATIONS)
        db.session.execute(
            text(
                "INSERT INTO outbox_messages (created_at, kind, recipient, subject, body_text,"
                " body_html, message_id, status, attempts, leased_by)"
                " VALUES (CURRENT_TIMESTAMP, 'meeting_change', 'a@example.org', 's', 't', 'h',"
                " :message_id, 'sending', 1, 'host:1:abc')"
            ),
            {"message_id": make_msgid(domain="demo.portal")},
        )
        db.session.commit()
        downgrade(directory=MIGRATIONS, revision="0004")
        status = db.session.scalar(text("SELECT status FROM outbox_messages"))
        db.session.commit()  # no transaction may hold the table while the schema changes
        assert status == "pending"
        upgrade(directory=MIGRATIONS)
        db.session.execute(text("UPDATE outbox_messages SET status = 'sending'"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()

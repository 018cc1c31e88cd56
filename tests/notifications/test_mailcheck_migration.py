"""Revision 0016_mailcheck goes down with a withdrawn message and a named digest item, and up."""

from email.utils import make_msgid

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from portal.core.extensions import db
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import fresh_app  # noqa: F401  (a fixture)


def test_a_withdrawn_message_stays_unsent_when_the_revision_goes_down(fresh_app):  # noqa: F811
    with fresh_app.app_context():
        upgrade(directory=MIGRATIONS)
        db.session.execute(
            text(
                "INSERT INTO outbox_messages (created_at, kind, recipient, subject, body_text,"
                " body_html, message_id, status, attempts, subject_kind, subject_id)"
                " VALUES (CURRENT_TIMESTAMP, 'document_shared', 'a@example.org', 's', 't', 'h',"
                " :message_id, 'withdrawn', 1, 'document', 7)"
            ),
            {"message_id": make_msgid(domain="demo.portal")},
        )
        db.session.commit()
        downgrade(directory=MIGRATIONS, revision="0015_idempotent")
        status = db.session.scalar(text("SELECT status FROM outbox_messages"))
        db.session.commit()  # no transaction may hold the table while the schema changes
        assert status == "failed"  # never sent, never retried by itself
        upgrade(directory=MIGRATIONS)
        db.session.execute(text("UPDATE outbox_messages SET status = 'withdrawn'"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()

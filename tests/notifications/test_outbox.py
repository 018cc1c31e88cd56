"""The outbox: messages join the transaction of their cause; delivery keeps what fails."""

from sqlalchemy import select

from portal.accounts.models import User
from portal.core.extensions import db
from portal.notifications.models import OutboxMessage, OutboxStatus
from portal.notifications.services import queue_email
from tests.notifications.conftest import parse, send, sent_files


def _queue_for(world, subject="Restablezca su contraseña"):
    user = db.session.get(User, world.member_cl.id)
    return queue_email(
        db.session,
        kind="password_reset",
        template="accounts/password_reset",
        subject=subject,
        recipient=user.email,
        recipient_user=user,
        language=user.language,
        link="http://portal.test/auth/reset/abc",
        expires_at=user.created_at,
    )


def _queue_and_commit(app, world, **kwargs):
    with app.test_request_context():
        _queue_for(world, **kwargs)
        db.session.commit()


def test_a_rolled_back_change_leaves_no_message(app, world, session):
    with app.test_request_context():
        _queue_for(world)
        db.session.rollback()
    assert session.scalars(select(OutboxMessage)).all() == []


def test_without_smtp_each_message_becomes_an_eml_file(app, world, session):
    _queue_and_commit(app, world)
    assert "1 sent, 0 failed" in send(app)
    [path] = sent_files(app)
    mail = parse(path)
    row = session.scalars(select(OutboxMessage)).one()
    assert mail["To"] == world.member_cl.email
    assert mail["Message-ID"] == row.message_id
    assert mail.get_body(("plain",)).get_content().startswith("Estimado(a) Javiera Soto,")
    assert mail.get_body(("html",)) is not None
    assert row.status == OutboxStatus.SENT
    assert "0 sent" in send(app)  # nothing is sent twice
    assert len(sent_files(app)) == 1


def test_line_breaks_in_a_subject_never_split_the_header(app, world):
    _queue_and_commit(app, world, subject="Hello\r\nBcc: victim@example.org")
    send(app)
    mail = parse(sent_files(app)[0])
    assert mail["Subject"] == "Hello Bcc: victim@example.org"
    assert mail["Bcc"] is None


def test_with_smtp_the_message_arrives_once(app, world, smtp_inbox):
    _queue_and_commit(app, world)
    assert "1 sent" in send(app)
    assert "0 sent" in send(app)
    assert len(smtp_inbox.envelopes) == 1
    assert smtp_inbox.envelopes[0].rcpt_tos == [world.member_cl.email]
    assert sent_files(app) == []


def test_dead_smtp_keeps_the_message_pending_with_the_error(app, world, session):
    _queue_and_commit(app, world)
    assert "0 sent, 1 failed" in send(app)
    row = session.scalars(select(OutboxMessage)).one()
    assert row.status == OutboxStatus.PENDING
    assert row.attempts == 1
    assert "ConnectionRefused" in row.last_error

"""The outbox: messages join the transaction of their cause; delivery keeps what fails."""

import socket
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from portal.accounts.models import User
from portal.extensions import db
from portal.notifications.models import OutboxMessage, OutboxStatus
from portal.notifications.services import queue_email


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


def _send(app) -> str:
    return app.test_cli_runner().invoke(args=["outbox", "send"]).output


def _sent_files(app) -> list[Path]:
    return sorted((Path(app.instance_path) / "mail").glob("*.eml"))


def _parse(path: Path):
    with path.open("rb") as handle:
        return BytesParser(policy=policy.default).parse(handle)


def test_a_rolled_back_change_leaves_no_message(app, world, session):
    with app.test_request_context():
        _queue_for(world)
        db.session.rollback()
    assert session.scalars(select(OutboxMessage)).all() == []


def test_without_smtp_each_message_becomes_an_eml_file(app, world, session):
    _queue_and_commit(app, world)
    assert "1 sent, 0 failed" in _send(app)
    [path] = _sent_files(app)
    mail = _parse(path)
    row = session.scalars(select(OutboxMessage)).one()
    assert mail["To"] == world.member_cl.email
    assert mail["Message-ID"] == row.message_id
    assert mail.get_body(("plain",)).get_content().startswith("Estimado(a) Javiera Soto,")
    assert mail.get_body(("html",)) is not None
    assert row.status == OutboxStatus.SENT
    assert "0 sent" in _send(app)  # nothing is sent twice
    assert len(_sent_files(app)) == 1


def test_line_breaks_in_a_subject_never_split_the_header(app, world):
    _queue_and_commit(app, world, subject="Hello\r\nBcc: victim@example.org")
    _send(app)
    mail = _parse(_sent_files(app)[0])
    assert mail["Subject"] == "Hello Bcc: victim@example.org"
    assert mail["Bcc"] is None


class _Inbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_inbox():
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


@pytest.fixture
def app_overrides(request):
    if "smtp_inbox" in request.fixturenames:
        port = request.getfixturevalue("smtp_inbox").port
    elif "dead_smtp" in request.node.name:
        port = _free_port()  # nothing listens there
    else:
        return {}
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_USE_TLS": False}


def test_with_smtp_the_message_arrives_once(app, world, smtp_inbox):
    _queue_and_commit(app, world)
    assert "1 sent" in _send(app)
    assert "0 sent" in _send(app)
    assert len(smtp_inbox.envelopes) == 1
    assert smtp_inbox.envelopes[0].rcpt_tos == [world.member_cl.email]
    assert _sent_files(app) == []


def test_dead_smtp_keeps_the_message_pending_with_the_error(app, world, session):
    _queue_and_commit(app, world)
    assert "0 sent, 1 failed" in _send(app)
    row = session.scalars(select(OutboxMessage)).one()
    assert row.status == OutboxStatus.PENDING
    assert row.attempts == 1
    assert "ConnectionRefused" in row.last_error

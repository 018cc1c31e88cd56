"""A real SMTP server (aiosmtpd) on a free loopback port, and the app pointed at it."""

import socket
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    """What the SMTP server accepted, envelope by envelope."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_inbox():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


@pytest.fixture
def app_overrides(request):
    """SMTP settings: the test's server when it asks for smtp_inbox; a dead port for dead_smtp."""
    if "smtp_inbox" in request.fixturenames:
        port = request.getfixturevalue("smtp_inbox").port
    elif "dead_smtp" in request.node.name:
        port = free_port()  # nothing listens there
    else:
        return {}
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_USE_TLS": False}


def send(app) -> str:
    """Run `flask outbox send` and return what it printed."""
    return app.test_cli_runner().invoke(args=["outbox", "send"]).output


def sent_files(app) -> list[Path]:
    return sorted((Path(app.instance_path) / "mail").glob("*.eml"))


def parse(path: Path):
    with path.open("rb") as handle:
        return BytesParser(policy=policy.default).parse(handle)

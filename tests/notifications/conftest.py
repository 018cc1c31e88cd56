"""A real SMTP server (aiosmtpd) on a free loopback port, and the app pointed at it.

The server's `mode` decides its answer to each message: "accept", "421" (try later),
"550" (refused for good) or "stall" (say nothing for `stall_seconds`). With `stall_after`
set, it accepts that many messages and then stalls.
"""

import asyncio
import socket
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

ANSWERS = {"421": "421 4.3.2 Service busy, try again later", "550": "550 5.1.1 No such mailbox"}


class Inbox:
    """What the SMTP server accepted, envelope by envelope."""

    def __init__(self):
        self.envelopes = []
        self.mode = "accept"
        self.stall_after: int | None = None
        self.stall_seconds = 20.0
        self.refused = 0

    async def handle_DATA(self, server, session, envelope):
        stalling = self.mode == "stall" or (
            self.stall_after is not None and len(self.envelopes) >= self.stall_after
        )
        if stalling:
            await asyncio.sleep(self.stall_seconds)
            return "451 4.3.0 Too slow"
        if self.mode in ANSWERS:
            self.refused += 1
            return ANSWERS[self.mode]
        self.envelopes.append(envelope)
        return "250 OK"

    def message_ids(self) -> list[str]:
        return [parse_bytes(raw(e))["Message-ID"] for e in self.envelopes]


def raw(envelope) -> bytes:
    return envelope.original_content or envelope.content


def parse_bytes(data: bytes):
    return BytesParser(policy=policy.default).parsebytes(data)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(inbox: Inbox, port: int) -> Controller:
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.port = controller.port
    return controller


@pytest.fixture
def smtp_inbox():
    inbox = Inbox()
    controller = start_server(inbox, free_port())
    yield inbox
    controller.stop()


@pytest.fixture
def smtp_port():
    """A port where no server listens yet (a test may start one there later)."""
    return free_port()


@pytest.fixture
def app_overrides(request):
    """SMTP settings: the test's server when it asks for smtp_inbox; a dead port for dead_smtp
    or smtp_port."""
    if "smtp_inbox" in request.fixturenames:
        port = request.getfixturevalue("smtp_inbox").port
    elif "smtp_port" in request.fixturenames:
        port = request.getfixturevalue("smtp_port")
    elif "dead_smtp" in request.node.name:
        port = free_port()  # nothing listens there
    else:
        return {}
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_USE_TLS": False, "MAIL_TIMEOUT": 2}


def send(app) -> str:
    """Run `flask outbox send` and return what it printed."""
    return app.test_cli_runner().invoke(args=["outbox", "send"]).output


def sent_files(app) -> list[Path]:
    return sorted((Path(app.instance_path) / "mail").glob("*.eml"))


def parse(path: Path):
    with path.open("rb") as handle:
        return BytesParser(policy=policy.default).parse(handle)

"""The mails the outbox sends, read as a person would: the messages, their text, their links."""

import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path


def send_outbox(app) -> list[EmailMessage]:
    """Run `flask outbox send` and return the messages it wrote, oldest first."""
    folder = Path(app.instance_path) / "mail"
    before = set(folder.glob("*.eml")) if folder.exists() else set()
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    new_files = sorted(set(folder.glob("*.eml")) - before)
    assert f"{len(new_files)} sent, 0 failed" in result.output
    parser = BytesParser(policy=policy.default)
    return [parser.parsebytes(path.read_bytes()) for path in new_files]


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def link_in(app, message: EmailMessage, prefix: str) -> str:
    """The path of the portal link in the mail's text part, ready for the test client."""
    base = app.config["PORTAL_BASE_URL"]
    match = re.search(re.escape(base + prefix) + r"[A-Za-z0-9_\-]+", text_of(message))
    assert match, text_of(message)
    return match.group(0).removeprefix(base)

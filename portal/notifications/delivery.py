"""Turning an outbox row into a mail and handing it over: SMTP with Flask-Mail, or .eml files.

With no MAIL_SERVER configured, each message is written under instance/mail/ so a newcomer
can read what would have been sent.
"""

import functools
import os
import re
import smtplib
import ssl
from dataclasses import dataclass
from email import policy
from email.encoders import encode_base64
from email.mime.base import MIMEBase
from pathlib import Path

from flask import current_app
from flask_mail import Connection, Message

from portal.notifications.models import OutboxMessage

ICS_METHOD = re.compile(r"[A-Z]+")
ICS_FILENAME = "invite.ics"
# Flask-Mail builds every header already encoded; serialising under the compat32 policy
# writes them as they are instead of parsing each one again (a third of a worker's time).
WIRE_POLICY = policy.compat32.clone(linesep="\r\n", max_line_length=998)


class OutboxMail(Message):
    def as_bytes(self) -> bytes:
        return self._message().as_bytes(policy=WIRE_POLICY)


class InvitationMessage(OutboxMail):
    """A mail carrying an iCalendar object the way Outlook, Gmail and Apple Mail read it (iMIP).

    multipart/mixed
      multipart/alternative
        text/plain, text/html
        text/calendar; method=<METHOD>; charset=UTF-8   (inline, base64)
      application/ics invite.ics                         (the same calendar, as an attachment)

    Outlook shows no meeting without the method= parameter and ignores a calendar that is only
    an attachment; the attachment is for clients that offer nothing but "open the file".
    """

    def __init__(self, *args, ics_method: str, ics_content: str, **kwargs) -> None:
        if not ICS_METHOD.fullmatch(ics_method):
            raise ValueError(f"not an iTIP method: {ics_method!r}")
        super().__init__(*args, **kwargs)
        self.ics_method = ics_method
        self.ics_content = ics_content
        self.attach(
            filename=ICS_FILENAME,
            content_type="application/ics",
            data=ics_content.encode("utf-8"),
        )

    def _message(self) -> MIMEBase:
        root = super()._message()
        alternative = root.get_payload()[0]
        alternative.attach(self._calendar_part())
        return root

    def _calendar_part(self) -> MIMEBase:
        part = MIMEBase("text", "calendar")
        # Written by hand: the email package would quote the values, and method="REQUEST"
        # is not what Outlook's and Gmail's own invitations carry.
        part.replace_header(
            "Content-Type", f"text/calendar; method={self.ics_method}; charset=UTF-8"
        )
        part.set_payload(self.ics_content.encode("utf-8"))
        encode_base64(part)  # non-ASCII text must not travel as 8bit
        return part


def _unsubscribe_headers(url: str | None) -> dict[str, str] | None:
    """RFC 2369 and RFC 8058: mail clients show an "Unsubscribe" button that POSTs the link."""
    if not url:
        return None
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def build_mail(message: OutboxMessage) -> Message:
    fields = {
        "subject": message.subject,
        "recipients": [message.recipient],
        "body": message.body_text,
        "html": message.body_html,
        "sender": current_app.config["MAIL_DEFAULT_SENDER"],
        "extra_headers": _unsubscribe_headers(message.unsubscribe_url),
    }
    if message.ics_method and message.ics_content:
        mail_message = InvitationMessage(
            **fields, ics_method=message.ics_method, ics_content=message.ics_content
        )
    else:
        mail_message = OutboxMail(**fields)
    mail_message.msgId = message.message_id
    return mail_message


@dataclass(frozen=True)
class Envelope:
    """What a worker needs to hand one message over, read before the first commit."""

    id: int
    kind: str
    mail: Message


# Transports ---------------------------------------------------------------------------------


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """One verified TLS context per process: building it reads the system's CA store, which
    costs more than sending a batch of mails (a connection is opened per batch)."""
    return ssl.create_default_context()


class TimedConnection(Connection):
    """Flask-Mail's connection with a timeout (a stalled server must not hang the worker) and
    a verified TLS context."""

    def configure_host(self) -> smtplib.SMTP:
        settings, timeout = self.mail, current_app.config["MAIL_TIMEOUT"]
        if settings.use_ssl:
            host = smtplib.SMTP_SSL(
                settings.server, settings.port, timeout=timeout, context=_tls_context()
            )
        else:
            host = smtplib.SMTP(settings.server, settings.port, timeout=timeout)
        if settings.use_tls:
            host.starttls(context=_tls_context())
        if settings.username and settings.password:
            host.login(settings.username, settings.password)
        return host

    def close(self) -> None:
        """Say goodbye if the server still listens; a broken connection is simply dropped."""
        if self.host is None:
            return
        try:
            self.host.quit()
        except (OSError, smtplib.SMTPException):
            self.host.close()
        self.host = None


class EmlFolder:
    """The development transport: one .eml file per message, written atomically."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def send(self, envelope: Envelope) -> None:
        final = self.folder / f"{envelope.id:08d}-{envelope.kind}.eml"
        partial = final.with_suffix(".eml.part")
        with partial.open("wb") as handle:
            handle.write(envelope.mail.as_bytes())
            handle.flush()
            os.fsync(handle.fileno())
        partial.replace(final)

    def close(self) -> None:
        pass


class ServerUnavailable(Exception):
    """Connecting, STARTTLS or logging in failed: no message could go through this server now."""


class SmtpTransport:
    """One SMTP connection for a batch, opened on first use and reopened after an error."""

    def __init__(self) -> None:
        self.connection: TimedConnection | None = None

    def _connect(self) -> TimedConnection:
        connection = TimedConnection(current_app.extensions["mail"])
        try:
            connection.host = connection.configure_host()
        except (OSError, smtplib.SMTPException) as error:
            raise ServerUnavailable(f"{type(error).__name__}: {error}") from error
        return connection

    def send(self, envelope: Envelope) -> None:
        if self.connection is None:
            self.connection = self._connect()
        try:
            self.connection.send(envelope.mail)
        except BaseException:
            self.close()  # after a refusal or a timeout the session's state is unknown
            raise

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def mail_folder() -> Path:
    return Path(current_app.instance_path) / "mail"


def open_transport() -> SmtpTransport | EmlFolder:
    if current_app.config.get("MAIL_SERVER"):
        return SmtpTransport()
    return EmlFolder(mail_folder())


# What a failure means ---------------------------------------------------------------------


@dataclass(frozen=True)
class Failure:
    reason: str
    permanent: bool  # retrying cannot help: a 5xx answer or a message that cannot be built
    server_unreachable: bool = False  # the rest of the batch would fail the same way


def classify(error: BaseException) -> Failure:
    reason = f"{type(error).__name__}: {error}"[:2000]
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return Failure(reason, permanent=all(500 <= code < 600 for code in codes))
    if isinstance(error, ServerUnavailable):
        return Failure(str(error)[:2000], permanent=False, server_unreachable=True)
    if isinstance(error, smtplib.SMTPResponseException):
        return Failure(reason, permanent=500 <= error.smtp_code < 600)
    if isinstance(error, (OSError, smtplib.SMTPException)):
        # Refused, reset, timed out, disconnected, TLS failure: the server, not the message.
        return Failure(reason, permanent=False, server_unreachable=True)
    return Failure(reason, permanent=True)

"""Delivering queued messages: over SMTP with Flask-Mail, or as .eml files with no SMTP server."""

import os
import re
from email.encoders import encode_base64
from email.mime.base import MIMEBase
from pathlib import Path

from flask import current_app
from flask_mail import Message
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.db import utcnow
from portal.extensions import mail
from portal.notifications.models import OutboxMessage, OutboxStatus

ICS_METHOD = re.compile(r"[A-Z]+")
ICS_FILENAME = "invite.ics"


class InvitationMessage(Message):
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


def build_mail(message: OutboxMessage) -> Message:
    fields = {
        "subject": message.subject,
        "recipients": [message.recipient],
        "body": message.body_text,
        "html": message.body_html,
        "sender": current_app.config["MAIL_DEFAULT_SENDER"],
    }
    if message.ics_method and message.ics_content:
        mail_message = InvitationMessage(
            **fields, ics_method=message.ics_method, ics_content=message.ics_content
        )
    else:
        mail_message = Message(**fields)
    mail_message.msgId = message.message_id
    return mail_message


def mail_folder() -> Path:
    return Path(current_app.instance_path) / "mail"


def _write_eml(message: OutboxMessage, mail_message: Message) -> None:
    folder = mail_folder()
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"{message.id:08d}-{message.kind}.eml"
    partial = final.with_suffix(".eml.part")
    with partial.open("wb") as handle:
        handle.write(mail_message.as_bytes())
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(final)


def deliver(message: OutboxMessage) -> None:
    mail_message = build_mail(message)
    if current_app.config.get("MAIL_SERVER"):
        mail.send(mail_message)
    else:
        _write_eml(message, mail_message)


def send_pending(session: Session, *, limit: int = 100) -> tuple[int, int]:
    """Send up to `limit` pending messages, one transaction each; return (sent, failed)."""
    sent = failed = 0
    for _ in range(limit):
        message = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.PENDING)
            .order_by(OutboxMessage.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        ).first()
        if message is None:
            break
        message.attempts += 1
        try:
            deliver(message)
        except Exception as error:  # any delivery failure is kept on the row, not raised
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            failed += 1
            session.commit()
            break  # the server is likely down; the next run tries again
        message.status = OutboxStatus.SENT
        message.sent_at = utcnow()
        message.last_error = None
        session.commit()
        sent += 1
    return sent, failed

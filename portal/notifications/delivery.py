"""Delivering queued messages: over SMTP with Flask-Mail, or as .eml files with no SMTP server."""

import os
from pathlib import Path

from flask import current_app
from flask_mail import Message
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.db import utcnow
from portal.extensions import mail
from portal.notifications.models import OutboxMessage, OutboxStatus


def build_mail(message: OutboxMessage) -> Message:
    mail_message = Message(
        subject=message.subject,
        recipients=[message.recipient],
        body=message.body_text,
        html=message.body_html,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
    )
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

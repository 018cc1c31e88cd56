"""Queueing emails into the outbox, rendered in the recipient's language."""

from email.utils import make_msgid

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.notifications.models import OutboxMessage


def single_line(text: str) -> str:
    """Header values never carry CR or LF, whatever a user typed (no header injection)."""
    return " ".join(text.split())


def queue_email(
    session: Session,
    *,
    kind: str,
    template: str,
    subject,
    recipient: str,
    language: str,
    recipient_user: User | None = None,
    ics: tuple[str, str] | None = None,
    **context: object,
) -> OutboxMessage:
    """Render templates/emails/<template>.txt and .html in the recipient's language and queue them.

    `subject` is a lazy string, evaluated in that language too. `ics` is an
    iCalendar invitation to carry, as (METHOD, text). The row joins the caller's
    transaction: it is sent only if the change that caused it commits.
    """
    with force_locale(language):
        subject_text = single_line(str(subject))
        context = {"subject": subject_text, "recipient_user": recipient_user, **context}
        body_text = render_template(f"emails/{template}.txt", **context)
        body_html = render_template(f"emails/{template}.html", **context)
    sender_domain = current_app.config["MAIL_DEFAULT_SENDER"].rpartition("@")[2] or "portal"
    message = OutboxMessage(
        kind=kind,
        recipient=recipient,
        recipient_user_id=recipient_user.id if recipient_user else None,
        subject=subject_text[:300],
        body_text=body_text,
        body_html=body_html,
        message_id=make_msgid(domain=sender_domain),
        ics_method=ics[0] if ics else None,
        ics_content=ics[1] if ics else None,
    )
    session.add(message)
    return message

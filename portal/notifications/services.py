"""Queueing emails into the outbox, rendered in the recipient's language, as they chose."""

from email.utils import make_msgid

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.notifications.categories import category_of
from portal.notifications.models import Delivery, DigestItem, OutboxMessage
from portal.notifications.preferences import delivery_for, unsubscribe_url
from portal.urls import external_url


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
    unsubscribe_as: str | None = None,
    **context: object,
) -> OutboxMessage | None:
    """Render templates/emails/<template>.txt and .html in the recipient's language and queue them.

    `subject` is a lazy string, evaluated in that language too. `ics` is an
    iCalendar invitation to carry, as (METHOD, text). The row joins the caller's
    transaction: it is sent only if the change that caused it commits.

    The person's choice for the kind's category applies: off queues nothing, digest
    keeps a line (subject and `link`) for the daily digest; both return None.
    Mandatory kinds (categories.MANDATORY_KINDS) are always sent. `unsubscribe_as` names
    what the unsubscribe link turns off when it is not the kind's category (the digest).
    """
    category = category_of(kind)
    delivery = Delivery.IMMEDIATE
    if category and recipient_user is not None:
        delivery = delivery_for(session, recipient_user.id, category)
    if delivery == Delivery.OFF:
        return None
    with force_locale(language):
        subject_text = single_line(str(subject))[:300]
        if delivery == Delivery.DIGEST:
            link = context.get("link")
            session.add(
                DigestItem(
                    user_id=recipient_user.id,
                    kind=kind,
                    category=category,
                    subject=subject_text,
                    link=str(link)[:500] if link else None,
                )
            )
            return None
        unsubscribe_target = unsubscribe_as or category
        unsubscribe = (
            unsubscribe_url(recipient_user.id, unsubscribe_target)
            if unsubscribe_target and recipient_user
            else None
        )
        context = {
            "subject": subject_text,
            "recipient_user": recipient_user,
            "unsubscribe_link": unsubscribe,
            "preferences_link": external_url("notifications.preferences") if unsubscribe else None,
            **context,
        }
        body_text = render_template(f"emails/{template}.txt", **context)
        body_html = render_template(f"emails/{template}.html", **context)
        if unsubscribe:
            body_text += render_template("emails/_unsubscribe.txt", **context)
    message = OutboxMessage(
        kind=kind,
        recipient=recipient,
        recipient_user_id=recipient_user.id if recipient_user else None,
        subject=subject_text,
        body_text=body_text,
        body_html=body_html,
        message_id=new_message_id(),
        ics_method=ics[0] if ics else None,
        ics_content=ics[1] if ics else None,
        unsubscribe_url=unsubscribe,
    )
    session.add(message)
    return message


def new_message_id() -> str:
    """A Message-ID fixed when the mail is queued: every retry carries the same one."""
    sender_domain = current_app.config["MAIL_DEFAULT_SENDER"].rpartition("@")[2] or "portal"
    return make_msgid(domain=sender_domain)

"""The administrators' view of the outbox: what waits, what went, what failed and why."""

from dataclasses import dataclass

from flask import current_app, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.audit.services import record
from portal.core.errors import Denied, Forbidden, ValidationError
from portal.notifications import access
from portal.notifications.models import OutboxMessage, OutboxStatus
from portal.web.features import mail_kind_labels, mail_subjects
from portal.web.pagination import Page, paginate


@dataclass(frozen=True)
class OutboxLine:
    """A message as the outbox page shows it: its kind in words, the person it goes to
    (when the address is an account's) and the page of the object it names."""

    message: OutboxMessage
    kind_label: str
    person: User | None
    object_label: str
    object_link: str | None


def list_outbox(
    session: Session,
    actor: User,
    *,
    page: int,
    status: OutboxStatus | None = None,
    kind: str | None = None,
) -> Page:
    if not access.can_view_outbox(actor):
        raise Forbidden()
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return paginate(session, query, page=page)


def kind_label(kind: str) -> str:
    """The kind in the reader's language; a kind no feature declares shows its code."""
    label = mail_kind_labels(current_app).get(kind)
    return str(label) if label is not None else kind


def kind_choices() -> list[tuple[str, str]]:
    """Every declared kind and its label, in the order of the labels (the filter's list)."""
    kinds = [(kind, kind_label(kind)) for kind in mail_kind_labels(current_app)]
    return sorted(kinds, key=lambda pair: pair[1].casefold())


def outbox_lines(session: Session, messages: list[OutboxMessage]) -> list[OutboxLine]:
    """The page's messages in plain words, their recipients' accounts read in one query."""
    ids = {m.recipient_user_id for m in messages if m.recipient_user_id is not None}
    people = {p.id: p for p in session.scalars(select(User).where(User.id.in_(ids)))}
    return [
        OutboxLine(
            message=message,
            kind_label=kind_label(message.kind),
            person=people.get(message.recipient_user_id),
            object_label=_object_label(message),
            object_link=_object_link(message),
        )
        for message in messages
    ]


def _object_label(message: OutboxMessage) -> str:
    if message.subject_kind is None:
        return ""
    readership = mail_subjects(current_app).get(message.subject_kind)
    name = readership.page.label if readership and readership.page else message.subject_kind
    return f"{name} {message.subject_id}"


def _object_link(message: OutboxMessage) -> str | None:
    readership = mail_subjects(current_app).get(message.subject_kind or "")
    if readership is None or readership.page is None or message.subject_id is None:
        return None
    return url_for(readership.page.endpoint, **{readership.page.argument: message.subject_id})


def retry_message(session: Session, actor: User, message_id: int) -> OutboxMessage:
    """Give a failed message a fresh set of attempts, due now."""
    message = session.get(OutboxMessage, message_id)
    if message is None or not access.can_retry_outbox_message(actor):
        raise Denied("outbox_message", message_id)
    if message.status != OutboxStatus.FAILED:
        raise ValidationError("only failed messages can be retried")
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = None
    message.leased_by = None
    record(
        session,
        "outbox.retried",
        actor=actor,
        object_type="outbox_message",
        object_id=message.id,
        last_error=(message.last_error or "")[:200],
    )
    return message

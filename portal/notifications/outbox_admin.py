"""The administrators' view of the outbox: what waits, what went, what failed and why."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.audit.services import record
from portal.core.errors import Denied, Forbidden, ValidationError
from portal.notifications import access
from portal.notifications.models import OutboxMessage, OutboxStatus
from portal.web.pagination import Page, paginate


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

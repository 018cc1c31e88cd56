"""Writing and reading audit events."""

from flask import g, has_app_context, has_request_context, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.access import can_administer
from portal.accounts.models import User
from portal.after_response import request_origin
from portal.audit.models import AuditEvent
from portal.errors import Forbidden
from portal.pagination import Page, paginate


def record(
    session: Session,
    action: str,
    *,
    actor: User | None = None,
    object_type: str | None = None,
    object_id: object = None,
    **details: object,
) -> AuditEvent:
    """Add an audit event to the current transaction.

    The address and request id come from the request when there is one: they
    describe where the action came from, not what it did, so services need
    not pass them along.
    """
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor is not None and actor.is_authenticated else None,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        details=details,
    )
    if has_request_context():
        event.ip_address = request.remote_addr
        event.request_id = g.get("request_id")
    elif has_app_context():  # deferred until after the response (portal/after_response.py)
        event.ip_address, event.request_id = request_origin()
    session.add(event)
    return event


def list_events(session: Session, actor: User, *, page: int, action: str | None = None) -> Page:
    if not can_administer(actor):
        raise Forbidden()
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action == action)
    return paginate(session, query, page=page)

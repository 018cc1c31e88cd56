"""Writing and reading audit events."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import g, has_app_context, has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, String, and_, cast, func, or_, select
from sqlalchemy.orm import Session, joinedload

from portal.accounts.models import Party, User
from portal.audit import access
from portal.audit.models import AuditEvent
from portal.core import ports
from portal.core.errors import Forbidden, ValidationError
from portal.core.tlp import TLP
from portal.web.after_response import request_origin
from portal.web.pagination import Page, paginate

MAX_EXPORT_ROWS = 10_000


@ports.record.plug
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
    elif has_app_context():  # deferred until after the response (portal/web/after_response.py)
        event.ip_address, event.request_id = request_origin()
    session.add(event)
    return event


def record_restricted_read(
    session: Session, action: str, *, actor: User, object_type: str, obj, **details: object
) -> None:
    """Audit a download or export of `obj` (anything with a TLP label) when it is labelled
    AMBER or above (SECURITY 32); reading CLEAR and GREEN material is not recorded."""
    if obj.tlp.rank >= TLP.AMBER.rank:
        record(
            session,
            action,
            actor=actor,
            object_type=object_type,
            object_id=obj.id,
            tlp=obj.tlp.label,
            **details,
        )


@ports.record_denial.plug
def record_denial(
    session: Session, *, actor_id: str | None, object_type: str, object_id: object
) -> None:
    """An object refused to its reader, once the answer (the same as for a missing one) has
    left (portal/web/error_handlers.py): the reader is loaded again in this transaction."""
    actor = session.get(User, int(actor_id)) if actor_id else None
    record(session, "access.denied", actor=actor, object_type=object_type, object_id=object_id)


@dataclass(frozen=True)
class AuditFilters:
    """What an investigator asks for; dates are whole days in `zone`, both ends included."""

    zone: str
    person: str | None = None  # part of an email address or a name
    party_id: int | None = None
    kind: str | None = None  # "minutes" finds every minutes.* event
    object_type: str | None = None
    object_id: str | None = None
    since: date | None = None
    until: date | None = None

    def as_details(self) -> dict:
        """The filters as an audit event records them."""
        return {
            key: value.isoformat() if isinstance(value, date) else value
            for key, value in self.__dict__.items()
            if value is not None and key != "zone"
        }


def readable_parties(session: Session, actor: User) -> list[Party]:
    """The delegations whose events the reader may filter by: every one, or their own."""
    own_party = access.audit_log_party_id(actor)
    if own_party is None:
        return list(session.scalars(select(Party).order_by(Party.code)))
    return [actor.party]


def list_events(session: Session, actor: User, filters: AuditFilters, *, page: int) -> Page:
    """A page of the events the reader may see that match the filters, newest first."""
    return paginate(session, _events_query(actor, filters), page=page)


def export_events(session: Session, actor: User, filters: AuditFilters) -> list[AuditEvent]:
    """Every matching event for the CSV, newest first; the export is itself audited."""
    query = _events_query(actor, filters)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    if total > MAX_EXPORT_ROWS:
        raise ValidationError(
            str(
                _l(
                    "%(count)d events match: an export holds at most %(max)d. "
                    "Narrow the filters, for example by dates.",
                    count=total,
                    max=MAX_EXPORT_ROWS,
                )
            )
        )
    events = list(session.scalars(query))
    record(session, "audit.exported", actor=actor, rows=len(events), **filters.as_details())
    return events


def _events_query(actor: User, filters: AuditFilters) -> Select:
    if not access.can_read_audit_log(actor):
        raise Forbidden()
    own_party = access.audit_log_party_id(actor)
    if own_party is not None and filters.party_id not in (None, own_party):
        raise Forbidden()
    query = select(AuditEvent).options(joinedload(AuditEvent.actor))
    party_id = filters.party_id or own_party
    if party_id is not None:
        query = query.where(_of_party(party_id))
    if filters.person:
        query = query.where(_of_person(filters.person))
    if filters.kind:
        query = query.where(_of_kind(filters.kind))
    if filters.object_type:
        query = query.where(AuditEvent.object_type == filters.object_type)
    if filters.object_id:
        query = query.where(AuditEvent.object_id == filters.object_id)
    zone = ZoneInfo(filters.zone)
    if filters.since:
        query = query.where(AuditEvent.occurred_at >= _start_of(filters.since, zone))
    if filters.until:
        query = query.where(AuditEvent.occurred_at < _start_of(filters.until + timedelta(1), zone))
    return query.order_by(AuditEvent.id.desc())


def _start_of(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), zone)


def _accounts_as_text(*where: ColumnElement[bool]):
    """The ids of the matching accounts, as the text an event's object_id holds."""
    return select(cast(User.id, String)).where(*where)


def _of_party(party_id: int) -> ColumnElement[bool]:
    """Done by someone of the delegation, or about one of its accounts (failed logins...)."""
    return or_(
        AuditEvent.actor_id.in_(select(User.id).where(User.party_id == party_id)),
        and_(
            AuditEvent.object_type == "user",
            AuditEvent.object_id.in_(_accounts_as_text(User.party_id == party_id)),
        ),
    )


def _of_person(text: str) -> ColumnElement[bool]:
    """Done by, or about the account of, a person whose address or name contains the text."""
    matches = or_(
        User.email.icontains(text, autoescape=True), User.name.icontains(text, autoescape=True)
    )
    return or_(
        AuditEvent.actor_id.in_(select(User.id).where(matches)),
        and_(
            AuditEvent.object_type == "user", AuditEvent.object_id.in_(_accounts_as_text(matches))
        ),
        and_(
            AuditEvent.object_type == "email",
            AuditEvent.object_id.icontains(text.lower(), autoescape=True),
        ),
    )


def _of_kind(kind: str) -> ColumnElement[bool]:
    """The kind itself and every kind under it: "minutes" finds "minutes.saved"."""
    prefix = kind.rstrip(".")
    return or_(
        AuditEvent.action == prefix, AuditEvent.action.startswith(prefix + ".", autoescape=True)
    )

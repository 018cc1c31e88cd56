"""Parties: the countries and organisations whose delegations use the portal."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import Party, PartyKind, User
from portal.accounts.services import check_language_and_zone
from portal.core import access as core_access
from portal.core.errors import Forbidden, NotFound, ValidationError
from portal.core.ports import record
from portal.web.pagination import Page, paginate


@dataclass(frozen=True)
class PartyData:
    code: str
    kind: PartyKind
    name_en: str
    name_es: str
    timezone: str
    language: str


def list_parties(session: Session, actor: User, *, page: int) -> Page:
    require_party_admin(actor)
    return paginate(session, select(Party).order_by(Party.code), page=page)


def all_parties(session: Session) -> list[Party]:
    return list(session.scalars(select(Party).order_by(Party.code)))


def get_party(session: Session, actor: User, party_id: int) -> Party:
    require_party_admin(actor)
    party = session.get(Party, party_id)
    if party is None:
        raise NotFound()
    return party


def create_party(session: Session, actor: User, data: PartyData) -> Party:
    require_party_admin(actor)
    party = Party()
    _apply(session, party, data)
    session.add(party)
    session.flush()
    record(session, "party.created", actor=actor, object_type="party", object_id=party.id)
    return party


def update_party(session: Session, actor: User, party: Party, data: PartyData) -> None:
    require_party_admin(actor)
    _apply(session, party, data)
    record(session, "party.updated", actor=actor, object_type="party", object_id=party.id)


def _apply(session: Session, party: Party, data: PartyData) -> None:
    code = data.code.strip().upper()
    taken = session.scalar(select(Party.id).where(Party.code == code, Party.id != party.id))
    if taken is not None:
        raise ValidationError(str(_l("Another delegation already uses this code.")), field="code")
    check_language_and_zone(data.language, data.timezone)
    party.code = code
    party.kind = data.kind
    party.name_en = data.name_en.strip()
    party.name_es = data.name_es.strip()
    party.timezone = data.timezone
    party.language = data.language


def require_party_admin(actor: User) -> None:
    if not core_access.can_administer(actor):
        raise Forbidden()

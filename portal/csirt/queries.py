"""Reading bulletins in lists: the paged list with its filters, and what awaits an answer."""

from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased

from portal.accounts.models import Party, Role, User
from portal.core.access import ParametricViewer, viewer_parameters
from portal.core.tlp import TLP
from portal.csirt import access
from portal.csirt.models import Acknowledgement, Bulletin, BulletinKind, CsirtMember, Severity
from portal.mous.access import party_in_mou, visible_mous_clause
from portal.mous.models import Mou
from portal.web.pagination import Page, counted_page

_ANSWER = aliased(Acknowledgement, name="party_answer")


@dataclass(frozen=True)
class BulletinFilter:
    mou_id: int | None = None
    kind: BulletinKind | None = None
    tlp: TLP | None = None
    severity: Severity | None = None
    unanswered: bool = False


def readable_mous(session: Session, actor: User) -> list:
    """The MoUs the actor reads, as rows of what the list offers (id and titles)."""
    query = select(Mou.id, Mou.title_en, Mou.title_es).where(visible_mous_clause(actor))
    return list(session.execute(query.order_by(Mou.id)))


def _unanswered_by_party(actor: User):
    """Sent to the actor's party by another, and nobody of the actor's party answered."""
    return (Bulletin.owning_party_id != actor.party_id) & ~exists(
        select(_ANSWER.id).where(
            _ANSWER.bulletin_id == Bulletin.id, _ANSWER.party_id == actor.party_id
        )
    )


@dataclass(frozen=True)
class PartyName:
    code: str
    name_en: str
    name_es: str


@dataclass(frozen=True)
class MouTitle:
    title_en: str
    title_es: str


@dataclass(frozen=True)
class BulletinLine:
    """What the list shows of a bulletin (read as a row, not loaded as objects)."""

    id: int
    title: str
    tlp: TLP
    kind: BulletinKind
    severity: Severity
    created_at: datetime
    owning_party: PartyName
    mou: MouTitle


def list_bulletins(session: Session, actor: User, filters: BulletinFilter, *, page: int) -> Page:
    """The bulletins the actor may read, filtered, newest first: a page of lines with their
    count in one statement."""
    query = (
        select(
            Bulletin.id,
            Bulletin.title,
            Bulletin.tlp,
            Bulletin.kind,
            Bulletin.severity,
            Bulletin.created_at,
            Party.code,
            Party.name_en,
            Party.name_es,
            Mou.title_en,
            Mou.title_es,
        )
        .join(Party, Party.id == Bulletin.owning_party_id)
        .join(Mou, Mou.id == Bulletin.mou_id)
        .where(access.visible_bulletins_clause(actor))
    )
    if filters.mou_id:
        query = query.where(Bulletin.mou_id == filters.mou_id)
    if filters.kind:
        query = query.where(Bulletin.kind == filters.kind)
    if filters.tlp:
        query = query.where(Bulletin.tlp == filters.tlp)
    if filters.severity:
        query = query.where(Bulletin.severity == filters.severity)
    if filters.unanswered:
        query = query.where(_unanswered_by_party(actor), party_in_mou(Bulletin.mou_id, actor))
    found = counted_page(
        session, query.order_by(Bulletin.created_at.desc(), Bulletin.id.desc()), page=page
    )
    return replace(found, items=[_line(row) for row in found.items])


def _line(row) -> BulletinLine:
    return BulletinLine(*row[:6], owning_party=PartyName(*row[6:9]), mou=MouTitle(*row[9:11]))


def unanswered_count(session: Session, actor: User) -> int:
    """Bulletins the actor's CSIRT has yet to answer, for a CSIRT member (one statement)."""
    if actor.role not in access.CSIRT_ROLES or actor.party_id is None:
        return 0
    return session.scalar(_unanswered_count(actor.role), viewer_parameters(actor))


@cache
def _unanswered_count(role: Role):
    """Built once per role (the dashboard asks it of every CSIRT member): building it costs
    more than running it."""
    actor = ParametricViewer(role)
    return select(func.count(Bulletin.id)).where(
        exists(select(CsirtMember.user_id).where(CsirtMember.user_id == actor.id)),
        access.visible_bulletins_clause(actor),
        party_in_mou(Bulletin.mou_id, actor),
        _unanswered_by_party(actor),
    )

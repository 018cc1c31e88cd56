"""The MoU list as its cards show it, read as plain rows in one statement."""

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.accounts.models import Party, User
from portal.core.db import FIELD, packed, unpacked
from portal.mous import access
from portal.mous.models import Area, Mou, MouArea, MouStatus, mou_parties
from portal.web.pagination import DEFAULT_PAGE_SIZE, Page


@dataclass(frozen=True)
class PartyBadge:
    code: str
    name_en: str
    name_es: str


@dataclass(frozen=True)
class MouCard:
    """What a card of the MoU list shows (read as rows, compared as a key)."""

    id: int
    title_en: str
    title_es: str
    status: MouStatus
    signed_on: date | None
    parties: tuple[PartyBadge, ...]
    area_values: tuple[Area, ...]


def _packed_parties():
    """Each party of the outer MoU as code, English and Spanish names, packed in one string."""
    party = Party.code + FIELD + Party.name_en + FIELD + Party.name_es
    return (
        select(packed(party))
        .select_from(mou_parties.join(Party, Party.id == mou_parties.c.party_id))
        .where(mou_parties.c.mou_id == Mou.id)
        .scalar_subquery()
    )


def _packed_areas():
    return select(packed(MouArea.area)).where(MouArea.mou_id == Mou.id).scalar_subquery()


def _card(row) -> MouCard:
    parties = tuple(PartyBadge(*party.split(FIELD)) for party in unpacked(row.parties))
    areas = tuple(Area(area) for area in unpacked(row.areas))
    return MouCard(*row[:5], parties=parties, area_values=areas)


def list_mou_cards(session: Session, actor: User, *, page: int) -> Page:
    """The MoU list's page as the cards show it: the MoUs with their parties, areas and the
    count of all the reader sees, in one statement whatever the page holds (a reader sees a
    few dozen MoUs at most, so counting them beside the page costs nothing)."""
    per_page = current_app.config.get("PAGE_SIZE", DEFAULT_PAGE_SIZE)
    page = max(1, page)
    visible = access.visible_mous_clause(actor)
    rows = session.execute(
        select(
            Mou.id,
            Mou.title_en,
            Mou.title_es,
            Mou.status,
            Mou.signed_on,
            _packed_parties().label("parties"),
            _packed_areas().label("areas"),
            func.count().over().label("total"),
        )
        .where(visible)
        .order_by(Mou.signed_on.desc().nulls_last(), Mou.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    if rows:
        total = rows[0].total
    else:  # past the last page (or nothing at all): the pager still needs the count
        total = session.scalar(select(func.count(Mou.id)).where(visible)) or 0
    return Page(items=[_card(row) for row in rows], page=page, per_page=per_page, total=total)

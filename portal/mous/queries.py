"""The MoU list as its cards show it, read as plain rows in one statement."""

from dataclasses import dataclass, replace
from datetime import date
from functools import cache

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from portal.accounts.models import Party, Role, User
from portal.core.access import ParametricViewer
from portal.core.db import FIELD, packed, unpacked
from portal.mous import access
from portal.mous.models import Area, Mou, MouArea, MouStatus, mou_parties
from portal.web.pagination import Page, counted_page


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


@cache
def _cards_query(role: Role) -> Select:
    """The cards' statement for any reader of a role, built once (building it cost more
    than running it): the reader's party is a bound parameter (core.access.ParametricViewer)."""
    return (
        select(
            Mou.id,
            Mou.title_en,
            Mou.title_es,
            Mou.status,
            Mou.signed_on,
            _packed_parties().label("parties"),
            _packed_areas().label("areas"),
        )
        .where(access.visible_mous_clause(ParametricViewer(role)))
        .order_by(Mou.signed_on.desc().nulls_last(), Mou.id)
    )


def list_mou_cards(session: Session, actor: User, *, page: int) -> Page:
    """The MoU list's page as the cards show it: the MoUs with their parties, areas and the
    count of all the reader sees, in one statement whatever the page holds (a reader sees a
    few dozen MoUs at most: `counted_page`)."""
    parameters = {"viewer_id": actor.id, "viewer_party_id": actor.party_id}
    found = counted_page(session, _cards_query(actor.role), page=page, parameters=parameters)
    return replace(found, items=[_card(row) for row in found.items])

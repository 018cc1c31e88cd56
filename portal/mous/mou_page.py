"""The MoU's page: read in one statement, its content rendered once, each reader's panels
filled in.

The MoU, its parties, areas, signatories, lines of cooperation and the working groups the
reader may see are read as plain rows (`MouPage`, which the rules in access.py and the panels
read like the ORM object) in one statement built once per role. The content is kept
(`MOU_PAGES`, portal/core/kept) under all of that, the reader's edit right and the language:
a change to anything it shows, or a group the reader no longer sees, gives another key, so
it shows at once. The panels other features add depend on who reads: the kept content holds
a slot where they go (portal/mous/panels.py keeps those that can be).
"""

from dataclasses import dataclass
from datetime import date
from functools import cache

from flask import render_template
from markupsafe import Markup
from sqlalchemy import Select, String, and_, bindparam, cast, select
from sqlalchemy.orm import Session

from portal.accounts.models import Party, Role, User
from portal.core.access import ParametricViewer, viewer_parameters
from portal.core.db import FIELD, packed, unpacked
from portal.core.errors import Denied, NotFound
from portal.core.i18n import current_language
from portal.core.kept import HTML_SLOTS, ProcessStore
from portal.mous import access
from portal.mous.forms import AREA_LABELS, STATUS_LABELS
from portal.mous.group_page import PartyView
from portal.mous.kept_pages import keep_page, kept_page, reader_key
from portal.mous.models import (
    Area,
    LineOfCooperation,
    Mou,
    MouArea,
    MouStatus,
    Signatory,
    WorkingGroup,
    mou_parties,
)
from portal.mous.panels import render_mou_panels

MOU_PAGES = ProcessStore("mou-pages")
PANELS_SLOT = "mou_panels"


@dataclass(frozen=True)
class PartyCode:
    code: str


@dataclass(frozen=True)
class AreaView:
    area: Area


@dataclass(frozen=True)
class SignatoryView:
    id: int
    name: str
    office_en: str
    office_es: str
    party: PartyCode


@dataclass(frozen=True)
class LineView:
    id: int
    position: int
    title_en: str
    title_es: str


@dataclass(frozen=True)
class GroupLink:
    id: int
    name_en: str
    name_es: str


@dataclass(frozen=True)
class MouPage:
    """What the MoU's page shows of it (read as rows, compared as a key)."""

    id: int
    title_en: str
    title_es: str
    summary_en: str
    summary_es: str
    signed_on: date | None
    signing_place: str
    status: MouStatus
    term_starts_on: date | None
    term_ends_on: date | None
    parties: tuple[PartyView, ...]
    areas: tuple[AreaView, ...]
    signatories: tuple[SignatoryView, ...]
    lines: tuple[LineView, ...]


def _text(column):
    return cast(column, String)


def _packed(*columns):
    """The columns of each row joined by FIELD (as text), for `packed`."""
    joined = columns[0]
    for column in columns[1:]:
        joined = joined + FIELD + column
    return packed(joined)


@cache
def _page_query(role: Role) -> Select:
    """Built once per role, run with the reader's id and party: building costs more than
    running. One row per working group the reader may see (or one with none), by name."""
    viewer = ParametricViewer(role)
    mou_id = Mou.id
    parties = (
        select(_packed(Party.code, _text(Party.id), Party.name_en, Party.name_es))
        .select_from(mou_parties.join(Party, Party.id == mou_parties.c.party_id))
        .where(mou_parties.c.mou_id == mou_id)
        .scalar_subquery()
    )
    areas = select(packed(MouArea.area)).where(MouArea.mou_id == mou_id).scalar_subquery()
    signatories = (
        select(
            _packed(
                _text(Signatory.id),
                Signatory.name,
                Signatory.office_en,
                Signatory.office_es,
                Party.code,
            )
        )
        .join(Party, Party.id == Signatory.party_id)
        .where(Signatory.mou_id == mou_id)
        .scalar_subquery()
    )
    lines = (
        select(
            _packed(
                _text(LineOfCooperation.position),
                _text(LineOfCooperation.id),
                LineOfCooperation.title_en,
                LineOfCooperation.title_es,
            )
        )
        .where(LineOfCooperation.mou_id == mou_id)
        .scalar_subquery()
    )
    visible_group = and_(
        WorkingGroup.mou_id == Mou.id, access.visible_working_groups_clause(viewer)
    )
    return (
        select(
            Mou.id,
            Mou.title_en,
            Mou.title_es,
            Mou.summary_en,
            Mou.summary_es,
            Mou.signed_on,
            Mou.signing_place,
            Mou.status,
            Mou.term_starts_on,
            Mou.term_ends_on,
            parties.label("parties"),
            areas.label("areas"),
            signatories.label("signatories"),
            lines.label("lines"),
            WorkingGroup.id.label("group_id"),
            WorkingGroup.name_en.label("group_name_en"),
            WorkingGroup.name_es.label("group_name_es"),
        )
        .outerjoin(WorkingGroup, visible_group)
        .where(Mou.id == bindparam("mou_id"))
        .order_by(WorkingGroup.name_en)
    )


def _party(packed_row: str) -> PartyView:
    code, party_id, name_en, name_es = packed_row.split(FIELD)
    return PartyView(int(party_id), code, name_en, name_es)


def _signatory(packed_row: str) -> SignatoryView:
    signatory_id, name, office_en, office_es, code = packed_row.split(FIELD)
    return SignatoryView(int(signatory_id), name, office_en, office_es, PartyCode(code))


def _line(packed_row: str) -> LineView:
    position, line_id, title_en, title_es = packed_row.split(FIELD)
    return LineView(int(line_id), int(position), title_en, title_es)


def load_mou_page(session: Session, actor: User, mou_id: int) -> tuple[MouPage, tuple]:
    """The MoU as its page shows it and the working groups the actor may see, if they may see
    it (else 404, as for objects)."""
    parameters = {"mou_id": mou_id, **viewer_parameters(actor)}
    rows = session.execute(_page_query(actor.role), parameters).all()
    if not rows:
        raise NotFound()
    first = rows[0]
    page = MouPage(
        *first[:10],
        parties=tuple(sorted(map(_party, unpacked(first.parties)), key=lambda p: (p.code, p.id))),
        areas=tuple(AreaView(Area(area)) for area in unpacked(first.areas)),
        signatories=tuple(sorted(map(_signatory, unpacked(first.signatories)), key=_by_id)),
        lines=tuple(sorted(map(_line, unpacked(first.lines)), key=_by_position)),
    )
    if not access.can_view_mou(actor, page):
        raise Denied("mou", mou_id)
    groups = tuple(
        GroupLink(row.group_id, row.group_name_en, row.group_name_es)
        for row in rows
        if row.group_id is not None
    )
    return page, groups


def _by_id(signatory: SignatoryView) -> int:
    return signatory.id


def _by_position(line: LineView) -> tuple[int, int]:
    return line.position, line.id


def mou_response(session: Session, actor: User, mou_id: int) -> str:
    """The page for a GET, kept whole for the reader (portal/mous/kept_pages.py): one short
    statement finds it. Else the MoU is read (404, 403 as for objects) and its page made."""
    key = reader_key(session, actor, "mou", mou_id)
    kept = kept_page(session, key)
    if kept is None:
        page, groups = load_mou_page(session, actor, mou_id)
        kept = keep_page(session, key, lambda: (page, _content(session, actor, page, groups)))
    page, content = kept
    return render_template("mous/detail.html", mou=page, content=content)


def _content(session: Session, actor: User, page: MouPage, groups: tuple) -> Markup:
    """The content with the reader's panels. Without them it is kept under all it shows,
    the reader's edit right and the language (readers with other rights or groups get other
    keys); the panels are a slot filled for the reader."""
    can_edit = access.can_edit_mou(actor)
    key = ("mou-page", page, groups, can_edit, current_language())

    def render() -> list[str]:
        html = render_template(
            "mous/_detail.html",
            mou=page,
            working_groups=groups,
            areas=AREA_LABELS,
            statuses=STATUS_LABELS,
            can_edit=can_edit,
            panels=HTML_SLOTS.slot(PANELS_SLOT),
        )
        return HTML_SLOTS.split(html)

    kept = MOU_PAGES.get(session, key, render)
    return HTML_SLOTS.fill(kept, {PANELS_SLOT: render_mou_panels(session, actor, page)})

"""MoUs and working groups: reading them as a given person, and changing them."""

from dataclasses import dataclass, replace
from datetime import date
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, String, bindparam, cast, exists, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.accounts.models import Party, Role, User
from portal.audit.services import record
from portal.core import access as core_access
from portal.core.db import FIELD, packed, unpacked
from portal.core.errors import Denied, Forbidden, NotFound, ValidationError
from portal.core.together import Read
from portal.mous import access
from portal.mous.models import (
    Area,
    Membership,
    Mou,
    MouArea,
    MouStatus,
    WorkingGroup,
)
from portal.web.pagination import Page, counted_page_statements, read_counted_page

# Reading ---------------------------------------------------------------------------


def get_mou(session: Session, actor: User, mou_id: int) -> Mou:
    """The MoU if the actor may see it, read with its parties (which the rule reads) in one
    statement."""
    mou = session.get(Mou, mou_id, options=[joinedload(Mou.parties)])
    if mou is None:
        raise NotFound()
    if not access.can_view_mou(actor, mou):
        raise Denied("mou", mou_id)
    return mou


@dataclass(frozen=True)
class TitleOf:
    title_en: str
    title_es: str


@dataclass(frozen=True)
class GroupLine:
    """What the dashboard shows of one of the reader's working groups (read as a row)."""

    id: int
    name_en: str
    name_es: str
    mou: TitleOf


def my_working_groups(session: Session, actor: User, *, page: int) -> Page:
    """The groups the person belongs to, within MoUs they may still see, as the dashboard
    shows them: the page's rows with their MoU's title and the count (a person belongs to a
    few dozen groups at most: `counted_page`), in one statement built once per role."""
    statements = _my_working_groups(actor.role)
    parameters = core_access.viewer_parameters(actor)
    found = read_counted_page(session, statements, parameters, page=page)
    lines = [GroupLine(*row[:3], mou=TitleOf(*row[3:5])) for row in found.items]
    return replace(found, items=lines)


@cache
def _my_working_groups(role: Role) -> tuple:
    actor = core_access.ParametricViewer(role)
    query = (
        select(
            WorkingGroup.id, WorkingGroup.name_en, WorkingGroup.name_es, Mou.title_en, Mou.title_es
        )
        .join(Membership, Membership.working_group_id == WorkingGroup.id)
        .join(Mou, Mou.id == WorkingGroup.mou_id)
        .where(Membership.user_id == actor.id, access.visible_working_groups_clause(actor))
        .order_by(WorkingGroup.name_en, WorkingGroup.id)
    )
    return counted_page_statements(query)


# What the access rules and the group's page read: its MoU's parties, members and their people.
_GROUP_LOADED = (
    joinedload(WorkingGroup.mou).selectinload(Mou.parties),
    selectinload(WorkingGroup.memberships).joinedload(Membership.user),
)


def get_working_group(
    session: Session, actor: User, group_id: int, *, members: bool = True
) -> WorkingGroup:
    """The group its reader may see, with its MoU and parties. With `members` False, one
    statement that asks the rule in SQL (visible_working_groups_clause) rather than loading
    every membership to find the reader's: scheduling for 500 members loads no account."""
    if members:
        group = session.get(WorkingGroup, group_id, options=_GROUP_LOADED)
        visible = group is not None and access.can_view_working_group(actor, group)
    else:
        parameters = {"group_id": group_id, **core_access.viewer_parameters(actor)}
        row = session.execute(_group_statement(actor.role), parameters).unique().first()
        group, visible = (row.WorkingGroup, row.visible) if row else (None, False)
    if group is None:
        raise NotFound()
    if not visible:
        raise Denied("working_group", group_id)
    return group


@cache
def _group_statement(role: Role) -> Select:
    """Built once per role: building the rule's clause costs more than running it."""
    viewer = core_access.ParametricViewer(role)
    return (
        select(WorkingGroup, access.visible_working_groups_clause(viewer).label("visible"))
        .where(WorkingGroup.id == bindparam("group_id"))
        .options(joinedload(WorkingGroup.mou).joinedload(Mou.parties))
    )


def members_by_party(group: WorkingGroup) -> list[tuple[Party, list[Membership]]]:
    """The group's members grouped under each party of the MoU, co-chair first."""
    grouped = []
    for party in group.mou.parties:
        members = [m for m in group.memberships if m.user.party_id == party.id]
        members.sort(key=lambda m: (not m.is_co_chair, m.user.name.lower()))
        grouped.append((party, members))
    return grouped


def membership_candidates(
    session: Session, actor: User, group: WorkingGroup
) -> tuple[tuple[int, str, str], ...]:
    """People the actor may add, as (id, name, party code): active delegation accounts of their
    manageable parties who are not members yet, by name."""
    read = membership_candidates_read(actor, group)
    if read is None:
        return ()
    return unpacked_candidates(session.execute(read.statement, read.parameters).scalar_one())


def membership_candidates_read(actor: User, group: WorkingGroup) -> Read | None:
    """membership_candidates as one row of one value (None when the actor adds nobody): a
    party has hundreds of people, and a row each costs more in the driver than the database
    spends on all of them. The working group's page reads it with its panels' rows and keeps
    its content under it (unpacked_candidates on a miss)."""
    party_ids = [p.id for p in access.manageable_parties(actor, group)]
    if not party_ids:
        return None
    return Read(_candidates_query(), {"group_id": group.id, "party_ids": party_ids})


def unpacked_candidates(value: str | None) -> tuple[tuple[int, str, str], ...]:
    """The (id, name, party code) of membership_candidates_read's value, in the database's
    order."""
    records = sorted((record.split(FIELD) for record in unpacked(value)), key=_by_place)
    return tuple((int(person_id), name, code) for _place, person_id, name, code in records)


def _by_place(record: list[str]) -> int:
    return int(record[0])


@cache
def _candidates_query() -> Select:
    """Built once (its parameters bound per call). Each person is packed with their place by
    name, so the order is the database's collation's, not Python's."""
    already = select(Membership.id).where(
        Membership.working_group_id == bindparam("group_id"), Membership.user_id == User.id
    )
    place = func.row_number().over(order_by=(func.lower(User.name), User.id))
    people = (
        select(place.label("place"), User.id, User.name, Party.code)
        .join(Party, Party.id == User.party_id)
        .where(
            User.party_id.in_(bindparam("party_ids", expanding=True)),
            User.is_active.is_(True),
            User.role.in_((*core_access.PARTY_WIDE_READERS, Role.MEMBER)),
            ~exists(already),
        )
        .subquery("candidates")
    )
    fields = (cast(people.c.place, String), cast(people.c.id, String), people.c.name, people.c.code)
    joined = fields[0]
    for field in fields[1:]:
        joined = joined + FIELD + field
    return select(packed(joined))


# Changing MoUs ------------------------------------------------------------------------


@dataclass(frozen=True)
class MouData:
    title_en: str
    title_es: str
    summary_en: str
    summary_es: str
    party_ids: list[int]
    signed_on: date | None
    signing_place: str
    areas: list[Area]
    status: MouStatus
    term_starts_on: date | None
    term_ends_on: date | None


def create_mou(session: Session, actor: User, data: MouData) -> Mou:
    require_mou_editor(actor)
    mou = Mou()
    _apply_mou(session, mou, data)
    session.add(mou)
    session.flush()
    record(session, "mou.created", actor=actor, object_type="mou", object_id=mou.id)
    return mou


def update_mou(session: Session, actor: User, mou: Mou, data: MouData) -> None:
    require_mou_editor(actor)
    _apply_mou(session, mou, data)
    record(session, "mou.updated", actor=actor, object_type="mou", object_id=mou.id)


def _apply_mou(session: Session, mou: Mou, data: MouData) -> None:
    parties = list(session.scalars(select(Party).where(Party.id.in_(data.party_ids))))
    if len(parties) < 2 or len(parties) != len(set(data.party_ids)):
        raise ValidationError(str(_l("Choose at least two parties.")), field="party_ids")
    if data.term_starts_on and data.term_ends_on and data.term_ends_on < data.term_starts_on:
        raise ValidationError(
            str(_l("The term cannot end before it starts.")), field="term_ends_on"
        )
    if mou.id is not None:
        removed = {p.id for p in mou.parties} - {p.id for p in parties}
        if any(s.party_id in removed for s in mou.signatories):
            raise ValidationError(
                str(_l("Remove the signatories of a party before removing the party.")),
                field="party_ids",
            )
    mou.title_en = data.title_en.strip()
    mou.title_es = data.title_es.strip()
    mou.summary_en = data.summary_en.strip()
    mou.summary_es = data.summary_es.strip()
    mou.parties = parties
    mou.signed_on = data.signed_on
    mou.signing_place = data.signing_place.strip()
    mou.status = data.status
    mou.term_starts_on = data.term_starts_on
    mou.term_ends_on = data.term_ends_on
    wanted = set(data.areas)
    mou.areas = [a for a in mou.areas if a.area in wanted] + [
        MouArea(area=area) for area in sorted(wanted - set(mou.area_values))
    ]


def require_mou_editor(actor: User) -> None:
    if not access.can_edit_mou(actor):
        raise Forbidden()


def require_group_editor(actor: User) -> None:
    if not access.can_edit_working_group(actor):
        raise Forbidden()


def require_membership_manager(actor: User, group: WorkingGroup) -> None:
    if not access.manageable_parties(actor, group):
        raise Forbidden()


# Changing working groups -----------------------------------------------------------------


@dataclass(frozen=True)
class WorkingGroupData:
    name_en: str
    name_es: str
    mandate_en: str
    mandate_es: str


def create_working_group(
    session: Session, actor: User, mou: Mou, data: WorkingGroupData
) -> WorkingGroup:
    require_group_editor(actor)
    group = WorkingGroup(mou=mou)
    _apply_group(group, data)
    session.add(group)
    session.flush()
    record(
        session,
        "working_group.created",
        actor=actor,
        object_type="working_group",
        object_id=group.id,
    )
    return group


def update_working_group(
    session: Session, actor: User, group: WorkingGroup, data: WorkingGroupData
) -> None:
    require_group_editor(actor)
    _apply_group(group, data)
    record(
        session,
        "working_group.updated",
        actor=actor,
        object_type="working_group",
        object_id=group.id,
    )


def _apply_group(group: WorkingGroup, data: WorkingGroupData) -> None:
    group.name_en = data.name_en.strip()
    group.name_es = data.name_es.strip()
    group.mandate_en = data.mandate_en.strip()
    group.mandate_es = data.mandate_es.strip()


def add_member(
    session: Session, actor: User, group: WorkingGroup, *, user_id: int, is_co_chair: bool
) -> Membership:
    person = session.get(User, user_id)
    if person is None or not access.can_manage_membership(actor, group, person):
        raise ValidationError(str(_l("Choose a person from the list.")), field="user_id")
    if any(m.user_id == person.id for m in group.memberships):
        raise ValidationError(str(_l("This person is already a member.")), field="user_id")
    membership = Membership(user=person, is_co_chair=False)
    group.memberships.append(membership)
    if is_co_chair:
        _make_co_chair(group, membership)
    record(
        session,
        "working_group.member_added",
        actor=actor,
        object_type="working_group",
        object_id=group.id,
        user_id=person.id,
        co_chair=is_co_chair,
    )
    return membership


def _find_membership(group: WorkingGroup, membership_id: int) -> Membership:
    membership = next((m for m in group.memberships if m.id == membership_id), None)
    if membership is None:
        raise NotFound()
    return membership


def _check_manages(actor: User, group: WorkingGroup, membership: Membership) -> None:
    if not access.can_manage_membership(actor, group, membership.user):
        raise Forbidden(str(_l("You may only manage the members of your own delegation.")))


def managed_membership(actor: User, group: WorkingGroup, membership_id: int) -> Membership:
    """A membership of the group the actor may manage (404 when none, 403 when not theirs)."""
    membership = _find_membership(group, membership_id)
    _check_manages(actor, group, membership)
    return membership


def remove_member(session: Session, actor: User, group: WorkingGroup, membership_id: int) -> None:
    membership = managed_membership(actor, group, membership_id)
    group.memberships.remove(membership)
    record(
        session,
        "working_group.member_removed",
        actor=actor,
        object_type="working_group",
        object_id=group.id,
        user_id=membership.user_id,
    )


def make_co_chair(session: Session, actor: User, group: WorkingGroup, membership_id: int) -> None:
    membership = _find_membership(group, membership_id)
    _check_manages(actor, group, membership)
    _make_co_chair(group, membership)
    record(
        session,
        "working_group.co_chair_set",
        actor=actor,
        object_type="working_group",
        object_id=group.id,
        user_id=membership.user_id,
    )


def _make_co_chair(group: WorkingGroup, membership: Membership) -> None:
    """One co-chair per party: naming one steps down the party's previous co-chair."""
    for other in group.memberships:
        if other.is_co_chair and other.user.party_id == membership.user.party_id:
            other.is_co_chair = False
    membership.is_co_chair = True

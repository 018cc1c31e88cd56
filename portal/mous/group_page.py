"""The working group's page as its readers see it: read in one statement, rendered once, with
each reader's own panels filled in.

Most people who open a group only read it (members, observers): they have no controls. So
the group, its MoU, the MoU's parties and the members are read as plain rows (`GroupView`,
which the rules in portal/mous/access.py read like the ORM objects), and the page's content is
kept (`READER_PAGES`, portal/core/kept) under a key holding all of that and the language: any
change to what it shows gives a new key. The panels other features add (meetings, action
items, documents, trainings: portal/mous/panels.py) depend on who reads, so the kept content
holds a slot where they go, filled for each reader. Those who manage members get the page
rendered for them (portal/mous/views.py).
"""

from dataclasses import dataclass
from functools import cache

from flask import render_template
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from portal.accounts.models import Party, User
from portal.core.errors import Denied, NotFound
from portal.core.i18n import current_language
from portal.core.kept import HTML_SLOTS, ProcessStore
from portal.mous import access
from portal.mous.models import Membership, Mou, WorkingGroup, mou_parties
from portal.mous.panels import render_group_panels
from portal.mous.services import members_by_party

READER_PAGES = ProcessStore("group-pages")
# Where each reader's panels go in the kept content.
PANELS_SLOT = "group_panels"


@dataclass(frozen=True)
class PartyView:
    id: int
    code: str
    name_en: str
    name_es: str


@dataclass(frozen=True)
class PersonView:
    id: int
    name: str
    party_id: int


@dataclass(frozen=True)
class MembershipView:
    id: int
    user_id: int
    is_co_chair: bool
    user: PersonView


@dataclass(frozen=True)
class MouView:
    id: int
    title_en: str
    title_es: str
    parties: tuple[PartyView, ...]


@dataclass(frozen=True)
class GroupView:
    id: int
    mou_id: int
    name_en: str
    name_es: str
    mandate_en: str
    mandate_es: str
    actions_version: int
    mou: MouView
    memberships: tuple[MembershipView, ...]


@cache
def _group_query() -> Select:
    """Built once: building it costs more than running it. One row per party of the MoU and
    member of that party (or none)."""
    members = (
        select(Membership.id, Membership.user_id, Membership.is_co_chair, User.name, User.party_id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.working_group_id == bindparam("group_id"))
        .subquery("group_members")
    )
    return (
        select(
            WorkingGroup.id,
            WorkingGroup.mou_id,
            WorkingGroup.name_en,
            WorkingGroup.name_es,
            WorkingGroup.mandate_en,
            WorkingGroup.mandate_es,
            WorkingGroup.actions_version,
            Mou.title_en,
            Mou.title_es,
            Party.id.label("party_id"),
            Party.code,
            Party.name_en.label("party_name_en"),
            Party.name_es.label("party_name_es"),
            members.c.id.label("membership_id"),
            members.c.user_id,
            members.c.is_co_chair,
            members.c.name.label("person_name"),
        )
        .join(Mou, Mou.id == WorkingGroup.mou_id)
        .outerjoin(mou_parties, mou_parties.c.mou_id == Mou.id)
        .outerjoin(Party, Party.id == mou_parties.c.party_id)
        .outerjoin(members, members.c.party_id == Party.id)
        .where(WorkingGroup.id == bindparam("group_id"))
        .order_by(Party.code, members.c.id)
    )


def load_group(session: Session, actor: User, group_id: int) -> GroupView:
    """The group as its page shows it, if the actor may read it (else 404, as for objects)."""
    rows = session.execute(_group_query(), {"group_id": group_id}).all()
    if not rows:
        raise NotFound()
    parties: dict[int, PartyView] = {}
    memberships = []
    for row in rows:
        if row.party_id is not None:
            parties.setdefault(
                row.party_id,
                PartyView(row.party_id, row.code, row.party_name_en, row.party_name_es),
            )
        if row.membership_id is not None:
            person = PersonView(row.user_id, row.person_name, row.party_id)
            memberships.append(
                MembershipView(row.membership_id, row.user_id, row.is_co_chair, person)
            )
    first = rows[0]
    group = GroupView(
        id=first.id,
        mou_id=first.mou_id,
        name_en=first.name_en,
        name_es=first.name_es,
        mandate_en=first.mandate_en,
        mandate_es=first.mandate_es,
        actions_version=first.actions_version,
        mou=MouView(first.mou_id, first.title_en, first.title_es, tuple(parties.values())),
        memberships=tuple(memberships),
    )
    if not access.can_view_working_group(actor, group):
        raise Denied("working_group", group_id)
    return group


def reads_only(actor: User, group: GroupView) -> bool:
    """Whether the actor has no controls on the page (members, observers)."""
    return not access.manageable_parties(actor, group) and not access.can_edit_working_group(actor)


def reader_page(session: Session, group: GroupView) -> str:
    key = ("group-page", group, current_language())

    def render() -> Markup:
        html = render_template("mous/_working_group.html", **_reader_context(group))
        return Markup(html)  # noqa: S704 - rendered by the template, escaped  # nosec B704

    kept = READER_PAGES.get(session, key, render)
    panels = render_group_panels(session, current_user, group)
    content = HTML_SLOTS.fill(kept, {PANELS_SLOT: panels})
    return render_template("mous/working_group.html", group=group, content=content)


def _reader_context(group: GroupView) -> dict:
    return {
        "group": group,
        "members": members_by_party(group),
        "manageable": [],
        "can_edit": False,
        "form": None,
        "confirm_form": None,
        "panels": HTML_SLOTS.slot(PANELS_SLOT),
    }

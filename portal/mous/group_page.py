"""The working group's page as its readers see it: read in one statement, rendered once, with
each reader's own panels and form tokens filled in.

The group, its MoU, the MoU's parties and the members are read as plain rows (`GroupView`,
which the rules in portal/mous/access.py read like the ORM objects), and the page's content is
kept (`READER_PAGES`, portal/core/kept) under a key holding all of that, the language and the
reader's controls (who manages members gets their buttons and the people they may add, as
rows): any change to what it shows gives a new key. The panels other features add (meetings,
action items, documents, trainings: portal/mous/panels.py) depend on who reads, so the kept
content holds a slot where they go, filled for each reader. A refused form is rendered with
its errors from the ORM objects (portal/mous/views.py).
"""

from dataclasses import dataclass
from functools import cache

from flask import current_app, render_template
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from portal.accounts.models import Party, User
from portal.core.errors import Denied, NotFound
from portal.core.i18n import current_language
from portal.core.kept import HTML_SLOTS, ProcessStore
from portal.mous import access
from portal.mous.forms import MemberForm
from portal.mous.kept_pages import filled_slot, keep_page, kept_page, reader_key
from portal.mous.models import Membership, Mou, WorkingGroup, mou_parties
from portal.mous.panels import read_panels, render_group_panels
from portal.mous.services import (
    members_by_party,
    membership_candidates_read,
    unpacked_candidates,
)
from portal.web.features import group_panels
from portal.web.forms import options
from portal.web.submissions import KEPT_FORM_TOKENS, form_token_fillings

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


def group_response(session: Session, actor: User, group_id: int) -> str:
    """The page for a GET, kept whole for the reader (portal/mous/kept_pages.py): one short
    statement finds it. Else the group is read (404, 403 as for objects) and its page made."""
    key = reader_key(session, actor, "group", group_id)
    kept = kept_page(session, key)
    if kept is None:
        group = load_group(session, actor, group_id)
        kept = keep_page(session, key, lambda: (group, _content(session, actor, group)))
    group, parts = kept
    content = HTML_SLOTS.fill(parts, form_token_fillings(actor.get_id()))
    return render_template("mous/working_group.html", group=group, content=content)


def _content(session: Session, actor: User, group: GroupView) -> list[str]:
    """The page's content with the reader's panels, its form tokens left as slots. The
    content without the panels is kept under all it shows and the reader's controls (the
    parties whose members they manage, whether they edit the group, the people they may
    add, read as one value with the panels' rows): readers with other rights get other keys."""
    manageable = tuple(p.id for p in access.manageable_parties(actor, group))
    can_edit = access.can_edit_working_group(actor)
    candidates_read = membership_candidates_read(actor, group) if manageable else None
    also = () if candidates_read is None else (candidates_read,)
    own, panel_rows = read_panels(session, actor, group_panels(current_app), group, also)
    candidates = own[0][0][0] if own else None
    key = ("group-page", group, current_language(), manageable, can_edit, candidates)

    def render() -> list[str]:
        context = _kept_context(group, manageable, can_edit, candidates)
        return HTML_SLOTS.split(render_template("mous/_working_group.html", **context))

    kept = READER_PAGES.get(session, key, render)
    return filled_slot(kept, PANELS_SLOT, render_group_panels(session, actor, group, panel_rows))


def _kept_context(
    group: GroupView, manageable: tuple, can_edit: bool, candidates: str | None
) -> dict:
    form = None
    if manageable:
        form = MemberForm(formdata=None)
        people = unpacked_candidates(candidates)
        form.user_id.choices = options((i, f"{name} ({code})") for i, name, code in people)
    return {
        "group": group,
        "members": members_by_party(group),
        "manageable": manageable,
        "can_edit": can_edit,
        "form": form,
        "tokens": KEPT_FORM_TOKENS,
        "csrf": HTML_SLOTS.slot("csrf"),
        "panels": HTML_SLOTS.slot(PANELS_SLOT),
    }

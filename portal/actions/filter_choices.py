"""What the action list's filter offers a reader: their groups and parties (one statement,
built once per role, kept per reader under a generation) and the meetings of the chosen group
that items came from.

The choices carry the actions version of every group whose items the reader may see, which
key the list's kept rows (versions.py). They are kept per reader (id, role, party) under the
counter `kept_generations` row NAME, which every change they show raises as the transaction
commits: every change that raises a group's actions version, a group created or changed, a
membership, an MoU's parties, a party renamed. The counter is read first: choices read from
data that changed meanwhile carry the older counter and are never served again.
"""

from dataclasses import dataclass
from functools import cache

from sqlalchemy import (
    String,
    bindparam,
    case,
    cast,
    exists,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from portal.accounts.models import Party, Role, User
from portal.actions.models import ActionItem
from portal.core import access as core_access
from portal.core.db import packed, unpacked
from portal.core.kept import (
    KeptGeneration,
    ProcessStore,
    Raises,
    counter_statement,
    declare,
    generation,
)
from portal.meetings import access as meeting_access
from portal.meetings.models import Meeting
from portal.mous import access as mou_access
from portal.mous.models import Membership, Mou, WorkingGroup, mou_parties

FILTER_MEETINGS = 50

NAME = "actions"
CHOICES = ProcessStore("action-filter-choices", size=2048)

# Every cause of versions.ACTIONS_VERSION (the choices carry the versions), and what the
# choices read besides: groups, memberships, an MoU's parties, parties' names.
GENERATION = declare(
    KeptGeneration.generation,
    Raises((ActionItem, WorkingGroup, Membership, Mou), stale=generation(NAME)),
    Raises(User, stale=generation(NAME), fields=("name",)),
    Raises(Party, stale=generation(NAME), fields=("code", "name_en", "name_es")),
    Raises(
        Meeting,
        stale=generation(NAME),
        fields=("starts_at", "title_en", "title_es", "working_group_id"),
    ),
    at_commit=True,
)


def meetings_to_filter(session: Session, reader: User, group_id: int | None, chosen_id: int | None):
    """What the list's meeting filter offers: the chosen group's meetings the reader may see
    that action items came from, newest first, and the one already chosen if the reader may
    see it (of whichever group: the caller refuses one of another group). Rows of (id,
    starts_at, title_en, title_es, working_group_id), by statements built once per role."""
    if not group_id and not chosen_id:
        return []
    parameters = {
        **core_access.viewer_parameters(reader),
        "group_id": group_id,
        "chosen_id": chosen_id,
    }
    latest, chosen = _meetings_queries(reader.role)
    meetings = list(session.execute(latest, parameters)) if group_id else []
    if chosen_id and all(meeting.id != chosen_id for meeting in meetings):
        meetings.extend(session.execute(chosen, parameters))
    return meetings


@cache
def _meetings_queries(role: Role) -> tuple:
    """The group's latest meetings with items, and the chosen one, for any viewer of `role`."""
    viewer = core_access.ParametricViewer(role)
    visible = select(
        Meeting.id, Meeting.starts_at, Meeting.title_en, Meeting.title_es, Meeting.working_group_id
    ).where(meeting_access.visible_meetings_clause(viewer))
    with_items = exists(select(ActionItem.id).where(ActionItem.meeting_id == Meeting.id))
    latest = (
        visible.where(Meeting.working_group_id == bindparam("group_id"), with_items)
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(FILTER_MEETINGS)
    )
    return latest, visible.where(Meeting.id == bindparam("chosen_id"))


@dataclass(frozen=True)
class FilterChoices:
    """What the list's filter offers the reader, read in one statement: the groups they read
    (id, English and Spanish names, actions version) and the parties of their MoUs
    (id, English and Spanish names)."""

    groups: tuple[tuple[int, str, str, int], ...]
    parties: tuple[tuple[int, str, str], ...]
    # Every group whose items the reader may see (those they read, and those of their
    # party's MoUs, where they may own items) as "id:version:read", sorted: what they see of
    # the items changes only with one of these (versions.py) or with who they are.
    scope: tuple[str, ...] = ()

    def version_of(self, group_id: int | None) -> int | None:
        """The actions version of a group the reader reads whole, else None."""
        return next((g[3] for g in self.groups if g[0] == group_id), None)

    @property
    def shown(self) -> tuple:
        """Everything the filter form shows of the choices (not the versions)."""
        return tuple(g[:3] for g in self.groups), self.parties


def filter_choices(session: Session, actor: User) -> FilterChoices:
    """The reader's choices, kept under the counter (read now, without one: no row)."""
    counter = session.scalar(counter_statement(NAME))
    key = (actor.id, actor.role, actor.party_id)
    return CHOICES.get_counted(session, counter, key, lambda: _read_choices(session, actor))


def _read_choices(session: Session, actor: User) -> FilterChoices:
    parameters = core_access.viewer_parameters(actor)
    groups, parties, scope = [], [], ()
    for kind, *row in session.execute(_choices_query(actor.role), parameters):
        if kind == "scope":
            scope = tuple(unpacked(row[1]))
        else:
            (groups if kind == "group" else parties).append(row)
    groups.sort(key=lambda g: (g[1], g[0]))
    parties.sort(key=lambda p: (p[4], p[0]))
    return FilterChoices(
        groups=tuple((g[0], g[1], g[2], g[3]) for g in groups[:500]),
        parties=tuple((p[0], p[1], p[2]) for p in parties),
        scope=scope,
    )


@cache
def _choices_query(role: Role):
    """Built once per role, run with the viewer's id and party: building costs more than running."""
    viewer = core_access.ParametricViewer(role)
    reads = mou_access.visible_working_groups_clause(viewer)
    groups = select(
        literal("group"),
        WorkingGroup.id,
        WorkingGroup.name_en,
        WorkingGroup.name_es,
        WorkingGroup.actions_version.label("version"),
        literal("").label("code"),
    ).where(reads)
    parties = select(
        literal("party"), Party.id, Party.name_en, Party.name_es, literal(0), Party.code
    ).where(
        Party.id.in_(
            select(mou_parties.c.party_id)
            .join(Mou, Mou.id == mou_parties.c.mou_id)
            .where(mou_access.visible_mous_clause(viewer))
        )
    )
    entry = (
        cast(WorkingGroup.id, String)
        + ":"
        + cast(WorkingGroup.actions_version, String)
        + case((reads, ":read"), else_=":")
    )
    scope = select(
        literal("scope"), literal(0), packed(entry), literal(""), literal(0), literal("")
    ).where(or_(reads, mou_access.party_in_mou(WorkingGroup.mou_id, viewer)))
    return union_all(groups, parties, scope)

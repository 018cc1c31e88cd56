"""What the action list's filter offers a reader: their groups and parties (one statement,
built once per role) and the meetings of the chosen group that items came from."""

from dataclasses import dataclass
from functools import cache

from sqlalchemy import exists, literal, select, union_all
from sqlalchemy.orm import Session

from portal.accounts.models import Party, Role, User
from portal.actions.models import ActionItem
from portal.core import access as core_access
from portal.meetings import access as meeting_access
from portal.meetings.models import Meeting
from portal.mous import access as mou_access
from portal.mous.models import Mou, WorkingGroup, mou_parties

FILTER_MEETINGS = 50


def meetings_to_filter(
    session: Session, reader: User, group_id: int | None, chosen_id: int | None
) -> list[Meeting]:
    """What the list's meeting filter offers: the chosen group's meetings the reader may see
    that action items came from, newest first, and the one already chosen if the reader may
    see it (of whichever group: the caller refuses one of another group)."""
    visible = select(Meeting).where(meeting_access.visible_meetings_clause(reader))
    meetings = []
    if group_id:
        with_items = exists(select(ActionItem.id).where(ActionItem.meeting_id == Meeting.id))
        of_group = visible.where(Meeting.working_group_id == group_id, with_items)
        latest = of_group.order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        meetings = list(session.scalars(latest.limit(FILTER_MEETINGS)))
    if chosen_id and all(meeting.id != chosen_id for meeting in meetings):
        meetings.extend(session.scalars(visible.where(Meeting.id == chosen_id)))
    return meetings


@dataclass(frozen=True)
class FilterChoices:
    """What the list's filter offers the reader, read in one statement: the groups they read
    (id, English and Spanish names, actions version) and the parties of their MoUs
    (id, English and Spanish names)."""

    groups: tuple[tuple[int, str, str, int], ...]
    parties: tuple[tuple[int, str, str], ...]

    def version_of(self, group_id: int | None) -> int | None:
        """The actions version of a group the reader reads whole, else None."""
        return next((g[3] for g in self.groups if g[0] == group_id), None)

    @property
    def shown(self) -> tuple:
        """Everything the filter form shows of the choices (not the versions)."""
        return tuple(g[:3] for g in self.groups), self.parties


def filter_choices(session: Session, actor: User) -> FilterChoices:
    parameters = {"viewer_id": actor.id, "viewer_party_id": actor.party_id}
    groups, parties = [], []
    for kind, *row in session.execute(_choices_query(actor.role), parameters):
        (groups if kind == "group" else parties).append(row)
    groups.sort(key=lambda g: (g[1], g[0]))
    parties.sort(key=lambda p: (p[4], p[0]))
    return FilterChoices(
        groups=tuple((g[0], g[1], g[2], g[3]) for g in groups[:500]),
        parties=tuple((p[0], p[1], p[2]) for p in parties),
    )


@cache
def _choices_query(role: Role):
    """Built once per role, run with the viewer's id and party: building costs more than running."""
    viewer = core_access.ParametricViewer(role)
    groups = select(
        literal("group"),
        WorkingGroup.id,
        WorkingGroup.name_en,
        WorkingGroup.name_es,
        WorkingGroup.actions_version.label("version"),
        literal("").label("code"),
    ).where(mou_access.visible_working_groups_clause(viewer))
    parties = select(
        literal("party"), Party.id, Party.name_en, Party.name_es, literal(0), Party.code
    ).where(
        Party.id.in_(
            select(mou_parties.c.party_id)
            .join(Mou, Mou.id == mou_parties.c.mou_id)
            .where(mou_access.visible_mous_clause(viewer))
        )
    )
    return union_all(groups, parties)

"""The management page's reads: the facts that decide it and its kept body, in one statement;
who may still be invited (the picker) and what raises the counter its first list is kept
under; one page of the invitees with their replies and attendance."""

from functools import cache

from sqlalchemy import Row, Select, and_, bindparam, exists, func, select
from sqlalchemy.orm import Session

from portal.accounts.models import Party, Role, User
from portal.core import access as core_access
from portal.core.kept import KeptGeneration, Raises, counter_statement, declare, generation
from portal.meetings import access, attachments, queries
from portal.meetings.models import (
    Invitee,
    ManagePage,
    Meeting,
    Minutes,
)
from portal.mous.kept_pages import NAME as PAGES_GENERATION
from portal.mous.models import Mou, WorkingGroup
from portal.web.pagination import counted_page_statements, read_counted_page


def manage_facts(session: Session, viewer, meeting_id: int, language: str) -> Row | None:
    """The meeting as its management page needs it, in one statement (None: no such
    meeting): whether the viewer sees it and reads its MoU (to refuse as managed_meeting
    does), the facts of their minutes' buttons, its times, its body kept in `language`, and
    the versions what is the viewer's own is kept under: its MoU's library version (the
    documents they may attach: manage_documents.py) and the group pages' generation (the
    earlier minutes awaiting approval: manage.py)."""
    parameters = {
        "meeting_id": meeting_id,
        "language": language,
        **core_access.viewer_parameters(viewer),
    }
    return session.execute(_facts_query(viewer.role), parameters).first()


@cache
def _facts_query(role: Role) -> Select:
    """Built once per role: building it costs more than running it."""
    viewer = core_access.ParametricViewer(role)
    return (
        select(
            Meeting.id,
            Meeting.page_version,
            Meeting.starts_at,
            Meeting.ends_at,
            Meeting.working_group_id,
            WorkingGroup.mou_id,
            Mou.library_version,
            access.visible_meetings_clause(viewer).label("visible"),
            access.reads_mou_clause(viewer).label("reads_mou"),
            access.co_chair_clause(viewer).label("co_chair"),
            access.own_party_in_mou_clause(viewer).label("own_party"),
            Minutes.state.label("minutes_state"),
            queries.approved_by_party_clause(viewer).label("approved"),
            attachments.has_attachments_clause().label("has_attachments"),
            ManagePage.version.label("stored_version"),
            ManagePage.layout,
            ManagePage.title,
            ManagePage.html,
            ManagePage.picker,
            ManagePage.people_generation.label("kept_people"),
            counter_statement(PEOPLE).scalar_subquery().label("people"),
            counter_statement(PAGES_GENERATION).scalar_subquery().label("pages_generation"),
        )
        .join(WorkingGroup, WorkingGroup.id == Meeting.working_group_id)
        .join(Mou, Mou.id == WorkingGroup.mou_id)
        .outerjoin(Minutes, Minutes.meeting_id == Meeting.id)
        .outerjoin(
            ManagePage,
            and_(
                ManagePage.meeting_id == Meeting.id,
                ManagePage.language == bindparam("language"),
            ),
        )
        .where(Meeting.id == bindparam("meeting_id"))
    )


def invitation_choices(
    session: Session,
    meeting: Meeting,
    *,
    search: str = "",
    limit: int | None = None,
    only: int | None = None,
) -> tuple[list[tuple[int, str]], bool]:
    """Who may be invited to the meeting and is not yet, by name: (id, "Name (CODE)"), as
    plain rows in one statement, and whether more match beyond `limit`. `search`: only those
    whose name holds its words; `only`: that one person, if they may be invited."""
    return people_to_invite(
        session, meeting.id, meeting.working_group.mou_id, search=search, limit=limit, only=only
    )


def people_to_invite(
    session: Session,
    meeting_id: int,
    mou_id: int,
    *,
    search: str = "",
    limit: int | None = None,
    only: int | None = None,
) -> tuple[list[tuple[int, str]], bool]:
    """invitation_choices from the meeting's id and its MoU's, its statement built once."""
    statement = _people_statement()
    if search:
        statement = statement.where(
            *(User.name.icontains(word, autoescape=True) for word in search.split())
        )
    if only is not None:
        statement = statement.where(User.id == only)
    if limit is not None:
        statement = statement.limit(limit + 1)
    rows = session.execute(statement, {"meeting_id": meeting_id, "mou_id": mou_id}).all()
    more = limit is not None and len(rows) > limit
    shown = rows[:limit] if limit is not None else rows
    return [(id_, f"{name} ({code})") for id_, name, code in shown], more


# The picker's first list is kept with the body (manage_kept.py), under the body's version
# (raised by invitees, the MoU's parties and the parties' codes: page_cache.PAGE_VERSION) and
# under this counter, raised at commit by every change of an account but what a login
# writes, and by the changes of the parties and MoUs the list reads (an MoU's parties
# change through its collection).
PEOPLE = "people"
PEOPLE_GENERATION = declare(
    KeptGeneration.generation,
    Raises(
        User,
        stale=generation(PEOPLE),
        unshown=("last_login_at", "password_hash", "totp_last_step"),
    ),
    Raises(Party, stale=generation(PEOPLE), fields=("code",)),
    Raises(Mou, stale=generation(PEOPLE), fields=("parties",)),
    at_commit=True,
)


@cache
def _people_statement():
    """Who may be invited (access.invitable_people_clause) and is not yet, by name."""
    invited = exists().where(
        Invitee.meeting_id == bindparam("meeting_id"), Invitee.user_id == User.id
    )
    return (
        select(User.id, User.name, Party.code)
        .join(Party, Party.id == User.party_id)
        .where(access.invitable_people_of_mou_clause(bindparam("mou_id")), ~invited)
        .order_by(User.name, User.id)
    )


def invitee_page(session: Session, meeting_id: int, *, page: int, per_page: int | None = None):
    """One page of the meeting's invitees for its management page, by delegation then name,
    as rows (INVITEE_COLUMNS) with their total, in one statement."""
    parameters = {"meeting_id": meeting_id}
    return read_counted_page(
        session, _invitee_page_statements(), parameters, page=page, per_page=per_page
    )


@cache
def _invitee_page_statements() -> tuple:
    """Built once: building costs more than running it."""
    query = (
        select(
            Invitee.id,
            Invitee.reply,
            Invitee.comment,
            Invitee.attendance,
            User.name,
            Party.code.label("party_code"),
            Party.name_en.label("party_name_en"),
            Party.name_es.label("party_name_es"),
        )
        .join(User, User.id == Invitee.user_id)
        .outerjoin(Party, Party.id == User.party_id)
        .where(Invitee.meeting_id == bindparam("meeting_id"))
        .order_by(Party.code, func.lower(User.name), Invitee.id)
    )
    return counted_page_statements(query)

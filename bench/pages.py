"""The pages `make bench` measures and the query-count test checks: one table, page → URL
pattern → id picker, so another page is one line.

A picker gives, for a logged-in person, the values their requests draw from at random
(object ids, months, filters, queries), chosen by the portal's own access clauses: every
value is one the person may open. Pages for coordinators only (the management pages, the
training report, find-a-time) name their role.
"""

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, text

from portal.accounts.models import User
from portal.core.extensions import db
from portal.documents import access as document_access
from portal.documents.models import Document
from portal.meetings import access as meeting_access
from portal.meetings.models import Meeting
from portal.mous import access as mou_access
from portal.mous.models import Mou, WorkingGroup
from portal.polls import access as poll_access
from portal.polls.models import Poll
from portal.trainings import access as training_access
from portal.trainings.models import Training

ROLES = {"member": "member.cl@demo.portal", "coordinator": "coordinator.cl@demo.portal"}
BOTH, COORDINATOR = ("member", "coordinator"), ("coordinator",)
MAX_VALUES = 20_000  # values written for the load generator per page and role
# Meetings drawn from per role: a sample spread over all ten years, so that only their
# readers' pages need storing beforehand (bench/render_pages.py: minutes for 20,000).
MEETING_SAMPLE = 1_500


@dataclass(frozen=True)
class Page:
    name: str
    label: str
    path: str  # with one %s, filled with a picked value
    pick: str  # a picker of PICKERS
    roles: tuple[str, ...] = BOTH
    by_token: bool = False  # an API call: sent with the person's API token, not the cookie


PAGES = [
    Page("dashboard", "dashboard", "/%s", "none"),
    Page("mous", "MoU list", "/mous/%s", "none"),
    Page("mou", "MoU page", "/mous/%s", "mous"),
    Page("mou_report", "MoU implementation report", "/mous/%s/report", "mous"),
    Page("group", "working-group page", "/working-groups/%s", "groups"),
    Page("group_meetings", "group meetings list", "/working-groups/%s/meetings", "groups"),
    Page("meeting", "meeting page", "/meetings/%s", "meetings"),
    Page("meeting_manage", "meeting manage page", "/meetings/%s/manage", "meetings", COORDINATOR),
    Page("month", "month calendar", "/calendar?month=%s", "months"),
    Page("actions", "action list, default view", "/actions/%s", "none"),
    Page("actions_filtered", "action list, filtered", "/actions/?%s", "action_filters"),
    Page("library", "library /documents/", "/documents/?%s", "library"),
    Page("document", "document page", "/documents/%s", "documents"),
    Page("search", "search", "/search?%s", "searches"),
    Page("trainings", "trainings list", "/trainings/%s", "none"),
    Page("training", "training page", "/trainings/%s", "trainings"),
    Page("training_report", "training report", "/trainings/%s/report", "trainings", COORDINATOR),
    Page(
        "find_time", "find-a-time", "/working-groups/%s/meetings/find-a-time", "groups", COORDINATOR
    ),
    Page("polls", "group polls", "/working-groups/%s/polls", "groups"),
    Page("poll", "poll page", "/polls/%s", "polls"),
    Page("bulletins", "CSIRT bulletin list", "/csirt/bulletins%s", "none"),
    Page("contacts", "MoU contacts", "/mous/%s/contacts", "mous"),
    Page(
        "api_meetings",
        "API: a page of meetings",
        "/api/v1/meetings?%s",
        "api_meetings",
        by_token=True,
    ),
]

SEARCHES = [
    "estrategia", "incident protocol", "capacitacion", "ciberseguridad nacional",
    "ransomware", "protocolo de intercambio", "training", "CSIRT cooperation",
    "threat intelligence", "infraestructura critica", "workshop", "phishing",
]  # fmt: skip


def _ids(statement) -> list[str]:
    return [str(i) for i in db.session.scalars(statement.limit(MAX_VALUES))]


def _sample(values: list[str], count: int) -> list[str]:
    """Every n-th value, so the sample spans the whole range."""
    step = max(1, len(values) // count)
    return values[::step][:count]


def _groups(user: User):
    return select(WorkingGroup.id).where(mou_access.visible_working_groups_clause(user))


def _months(user: User) -> list[str]:
    """The months of the person's meetings, as `YYYY-MM` (in UTC: near enough)."""
    visible = meeting_access.visible_meetings_clause(user)
    starts = db.session.execute(select(Meeting.starts_at).where(visible)).scalars()
    return sorted({f"{s.year:04d}-{s.month:02d}" for s in starts})


def _action_filters(user: User) -> list[str]:
    groups = _ids(_groups(user).order_by(WorkingGroup.id))
    return [f"group={g}" for g in groups] + ["status=open", "overdue=y", "mine=y&sort=priority"]


def _library(user: User) -> list[str]:
    mous = _ids(select(Mou.id).where(mou_access.visible_mous_clause(user)).order_by(Mou.id))
    groups = _ids(_groups(user).order_by(WorkingGroup.id))
    return (
        ["page=1", "page=1", "page=2", "page=3"]
        + [f"mou={m}" for m in mous]
        + [f"group={g}" for g in groups]
    )


def _api_meetings(user: User) -> list[str]:
    """The first page of the list, whole and per group; bench/run.py adds the later pages'
    cursors, which only the running portal can sign."""
    groups = _ids(_groups(user).order_by(WorkingGroup.id))
    return ["limit=50"] + [f"limit=50&working_group_id={g}" for g in groups]


PICKERS = {
    "none": lambda user: [""],
    "mous": lambda user: _ids(
        select(Mou.id).where(mou_access.visible_mous_clause(user)).order_by(Mou.id)
    ),
    "groups": lambda user: _ids(_groups(user).order_by(WorkingGroup.id)),
    "meetings": lambda user: _sample(
        _ids(
            select(Meeting.id)
            .where(meeting_access.visible_meetings_clause(user))
            .order_by(Meeting.id)
        ),
        MEETING_SAMPLE,
    ),
    "months": _months,
    "action_filters": _action_filters,
    "library": _library,
    "documents": lambda user: _ids(
        select(Document.id)
        .where(document_access.visible_documents_clause(user))
        .order_by(Document.id)
    ),
    "searches": lambda user: [
        f"q={q.replace(' ', '+')}{page}" for q in SEARCHES for page in ("", "", "&page=2")
    ],
    "trainings": lambda user: _ids(
        select(Training.id)
        .where(training_access.visible_trainings_clause(user))
        .order_by(Training.id)
    ),
    "api_meetings": _api_meetings,
    "polls": lambda user: _ids(
        select(Poll.id).where(poll_access.visible_polls_clause(user)).order_by(Poll.id)
    ),
}


def pick_all() -> dict[str, dict[str, list[str]]]:
    """{role: {page name: values}} for every page of its roles (in an app context)."""
    picked = {}
    for role, email in ROLES.items():
        user = db.session.scalar(select(User).where(User.email == email))
        cache: dict[str, list[str]] = {}
        picked[role] = {}
        for page in PAGES:
            if role not in page.roles:
                continue
            if page.pick not in cache:
                cache[page.pick] = PICKERS[page.pick](user)
            if not cache[page.pick]:
                raise SystemExit(f"{page.name}: nothing for the {role} to open")
            picked[role][page.name] = cache[page.pick]
    return picked


COUNTED = (
    "parties", "mous", "working_groups", "users", "meetings", "agenda_items",
    "meeting_invitees", "minutes", "action_items", "documents", "trainings",
    "training_registrations", "polls", "csirt_bulletins", "points_of_contact",
)  # fmt: skip


def main() -> None:
    """`python -c 'from bench.pages import main; main()' OUT`: write each person's values
    and the seeded row counts (bench/run.py runs it against the seeded database)."""
    from portal import create_app

    with create_app().app_context():
        counts = {
            table: db.session.scalar(text(f"SELECT count(*) FROM {table}"))  # noqa: S608
            for table in COUNTED  # names of this module, never input
        }
        data = {"values": pick_all(), "counts": counts}
        db.session.remove()
    Path(sys.argv[1]).write_text(json.dumps(data))

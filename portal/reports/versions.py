"""The kept implementation report: where it is kept, what it is kept under, and the changes
of who sees what that raise its version.

Each section's feature raises `Mou.report_version` on every change the section counts (a
`kept.declare` beside its report.py). Here are the changes that alter what a reader may see
or how a row is labelled, whatever the section: memberships of the MoU's groups, a person's
role or party (whose attendance and trainings are counted per party), the MoU's parties, a
party's code and names, a group moving to another MoU.

A report is kept under everything its figures depend on, read before them (`report_key`,
from a `ReportStamp` read with the MoU itself on the page: one statement):
the version, the reader (visibility differs per reader, so nobody is served another's
figures), the period and its zone, the language, and the next instant at which a section's
figures change with no write (a meeting that ends is held; an item passing its due date is
overdue). So a kept report is the one a computation would give at the instant it is served.
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Select, bindparam, select, true
from sqlalchemy.orm import Session

from portal.accounts.models import Party, Role, User
from portal.core.access import ParametricViewer, viewer_parameters
from portal.core.i18n import current_language
from portal.core.kept import ProcessStore, Raises, declare, old_and_new
from portal.mous.models import Membership, Mou, WorkingGroup
from portal.reports import access
from portal.web.sources import ReportPeriod, ReportSection

# The tables of each report (per MoU, version, reader, period, language) and the page's body
# made from them: for 2 readers of 30 MoUs in 2 languages, a few MB at most.
REPORTS = ProcessStore("mou-reports", size=512)


REPORT_VERSION = declare(
    Mou.report_version,
    Raises(
        Membership,
        lambda memberships: Mou.id.in_(
            select(WorkingGroup.mou_id).where(
                WorkingGroup.id.in_(old_and_new(memberships, "working_group_id"))
            )
        ),
    ),
    Raises(User, lambda people: true(), fields=("role", "party_id")),
    Raises(Party, lambda parties: true(), fields=("code", "name_en", "name_es")),
    Raises(Mou, lambda mous: Mou.id.in_({mou.id for mou in mous}), fields=("parties", "lines")),
    Raises(
        WorkingGroup,
        lambda groups: Mou.id.in_(old_and_new(groups, "mou_id")),
        fields=("mou_id",),
    ),
)


@dataclass(frozen=True)
class ReportStamp:
    """What an MoU's kept figures depend on besides reader, period and language, read before
    them at `now`: the MoU's version and the next instants its sections' figures change by
    time alone (SQL `next_change` of each section, in the order of the sections)."""

    now: datetime
    version: int
    instants: tuple


def _next_changes(sections: Iterable[ReportSection]) -> tuple:
    return tuple(s.next_change for s in sections if s.next_change is not None)


@cache
def _version_statement(next_changes: tuple) -> Select:
    """Built once per set of sections: building it costs more than running it."""
    return select(Mou.report_version, *next_changes).where(Mou.id == bindparam("mou_id"))


@cache
def _mou_statement(role: Role, next_changes: tuple) -> Select:
    """The MoU, whether a reader of the role may read its report (reports/access.py in SQL)
    and its sections' next changes: the report page's one statement before its kept figures.
    Built once per role and sections, run with the reader's id and party."""
    viewer = ParametricViewer(role)
    return (
        select(Mou, access.report_readers_clause(Mou.id, viewer), *next_changes)
        .where(Mou.id == bindparam("mou_id"))
        .execution_options(populate_existing=True)
    )


def mou_and_stamp(
    session: Session, reader: User, mou_id: int, sections: Iterable[ReportSection], now: datetime
) -> tuple[Mou, bool, ReportStamp] | None:
    """The MoU (None when there is none), whether the reader may read its report, and the
    stamp of the report, in one statement."""
    parameters = {
        "mou_id": mou_id,
        "now": now,
        **viewer_parameters(reader),
    }
    statement = _mou_statement(reader.role, _next_changes(sections))
    row = session.execute(statement, parameters).one_or_none()
    if row is None:
        return None
    mou, readable, *instants = row
    return mou, bool(readable), ReportStamp(now, mou.report_version, tuple(instants))


def read_stamp(
    session: Session, mou: Mou, sections: Iterable[ReportSection], now: datetime
) -> ReportStamp:
    """The stamp of an MoU already loaded (the version is read again: it may have moved)."""
    version, *instants = session.execute(
        _version_statement(_next_changes(sections)), {"mou_id": mou.id, "now": now}
    ).one()
    return ReportStamp(now, version, tuple(instants))


def report_key(
    reader: User,
    mou: Mou,
    period: ReportPeriod,
    sections: Iterable[ReportSection],
    stamp: ReportStamp,
) -> Hashable:
    """What the report is kept under: the stamp read before its figures, the reader, the
    period and the language, and the instants the sections compute without the database."""
    instants = list(stamp.instants)
    instants += [s.changes_at(period, stamp.now) for s in sections if s.changes_at is not None]
    language = current_language()
    return ("mou-report", mou.id, stamp.version, reader.id, period, language, tuple(instants))

"""The kept implementation report: where it is kept, what it is kept under, and the changes
of who sees what that raise its version.

Each section's feature raises `Mou.report_version` on every change the section counts (a
`kept.declare` beside its report.py). Here are the changes that alter what a reader may see
or how a row is labelled, whatever the section: memberships of the MoU's groups, a person's
role or party (whose attendance and trainings are counted per party), the MoU's parties, a
party's code and names, a group moving to another MoU.

A report is kept under everything its figures depend on, read before them (`report_key`):
the version, the reader (visibility differs per reader, so nobody is served another's
figures), the period and its zone, the language, and the next instant at which a section's
figures change with no write (a meeting that ends is held; an item passing its due date is
overdue). So a kept report is the one a computation would give at the instant it is served.
"""

from collections.abc import Hashable, Iterable
from datetime import datetime
from functools import cache

from sqlalchemy import Select, bindparam, select, true
from sqlalchemy.orm import Session

from portal.accounts.models import Party, User
from portal.core.i18n import current_language
from portal.core.kept import ProcessStore, Raises, declare, old_and_new
from portal.mous.models import Membership, Mou, WorkingGroup
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


@cache
def _version_statement(next_changes: tuple) -> Select:
    """Built once per set of sections: building it costs more than running it."""
    return select(Mou.report_version, *next_changes).where(Mou.id == bindparam("mou_id"))


def report_key(
    session: Session,
    reader: User,
    mou: Mou,
    period: ReportPeriod,
    sections: Iterable[ReportSection],
    now: datetime,
) -> Hashable:
    """What the report is kept under, read before its figures: one statement reads the MoU's
    version with the sections' next changes in SQL."""
    sections = list(sections)
    next_changes = tuple(s.next_change for s in sections if s.next_change is not None)
    _start, end = period.bounds()
    version, *instants = session.execute(
        _version_statement(next_changes), {"mou_id": mou.id, "now": now, "end": end}
    ).one()
    instants += [s.changes_at(period, now) for s in sections if s.changes_at is not None]
    language = current_language()
    return ("mou-report", mou.id, version, reader.id, period, language, tuple(instants))

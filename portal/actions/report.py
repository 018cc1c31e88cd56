"""The action items' section of an MoU's implementation report: per responsible party, the
items opened in the period, done in it (and done by their due date), and those due in it
that are still not done after their due date. One aggregate statement; only the items the
reader may see (access.actions_of_mou_clause).

The kept report's version (`Mou.report_version`) is raised by every change of an item (its
owners included); an item passing its due date becomes overdue with no write, so the section
says when the day (on the period's clock, the reader's) changes while that still matters
(`next_day`)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.actions.access import actions_of_mou_clause
from portal.actions.models import ACTIVE_STATUSES, ActionItem, ActionStatus
from portal.core.clock import day_in
from portal.core.kept import Raises, declare, old_and_new
from portal.mous.models import Mou, WorkingGroup
from portal.web.sources import ReportPeriod, ReportSection, ReportTable, party_rows


def report_tables(session: Session, reader: User, mou: Mou, period: ReportPeriod) -> list:
    start, end = period.bounds()
    done_in_period = (
        (ActionItem.status == ActionStatus.DONE)
        & (ActionItem.completed_on >= period.first)
        & (ActionItem.completed_on <= period.last)
    )
    overdue_before: date = min(day_in(period.zone), period.last)
    counted = {
        party_id: tuple(values)
        for party_id, *values in session.execute(
            select(
                ActionItem.responsible_party_id,
                func.count().filter(ActionItem.created_at >= start, ActionItem.created_at < end),
                func.count().filter(done_in_period),
                func.count().filter(done_in_period, ActionItem.completed_on <= ActionItem.due_on),
                func.count().filter(
                    ActionItem.status.in_(ACTIVE_STATUSES),
                    ActionItem.due_on >= period.first,
                    ActionItem.due_on < overdue_before,
                ),
            )
            .where(actions_of_mou_clause(reader, mou.id))
            .group_by(ActionItem.responsible_party_id)
        )
    }
    columns = (
        ("opened", _("Opened")),
        ("done", _("Done")),
        ("done_on_time", _("Done on time")),
        ("overdue", _("Overdue")),
    )
    table = ReportTable(
        "actions",
        _("Action items per responsible party"),
        _("Party"),
        columns,
        party_rows(mou.parties, counted, len(columns)),
        chart=tuple(key for key, _label in columns),
        chart_title=_("Action items per responsible party"),
        note=_(
            "Opened: created in the period. Done: completed in the period; on time when "
            "completed by the due date. Overdue: due in the period and still open after "
            "the due date."
        ),
    )
    return [table]


def next_day(period: ReportPeriod, now: datetime) -> datetime | None:
    """Overdue counts items due before min(today, last day), today on the period's clock (the
    reader's): it changes at each midnight there until today reaches the last day, then no
    more."""
    day = day_in(period.zone, now)
    if day >= period.last:
        return None
    return datetime.combine(day + timedelta(days=1), time(), ZoneInfo(period.zone)).astimezone(UTC)


SECTION = ReportSection("actions", _l("Action items"), report_tables, order=20, changes_at=next_day)


REPORT_VERSION = declare(
    Mou.report_version,
    Raises(
        ActionItem,
        lambda items: Mou.id.in_(
            select(WorkingGroup.mou_id).where(
                WorkingGroup.id.in_(old_and_new(items, "working_group_id"))
            )
        ),
    ),
)

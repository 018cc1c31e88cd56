"""The commitments' section of an MoU's implementation report: per line of cooperation, how
many commitments were open in the period in each status, and each of them with its line,
status and target date. Counted in SQL by queries.line_commitments, through the
commitments' access clause. Every change of a commitment (its parties included) or of a
line of cooperation raises the kept report's version (`Mou.report_version`)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.commitments.forms import STATUS_LABELS
from portal.commitments.models import Commitment, CommitmentStatus
from portal.commitments.queries import line_commitments
from portal.core.i18n import localized
from portal.core.kept import Raises, declare, old_and_new
from portal.mous.models import LineOfCooperation, Mou
from portal.web.sources import ReportPeriod, ReportRow, ReportSection, ReportTable

STATUSES = tuple(CommitmentStatus)


def report_tables(session: Session, reader: User, mou: Mou, period: ReportPeriod) -> list:
    lines = line_commitments(session, reader, mou, period.first, period.last)
    status_columns = tuple((status.value, str(STATUS_LABELS[status])) for status in STATUSES)
    per_line = ReportTable(
        "commitments",
        _("Commitments per line of cooperation"),
        _("Line of cooperation"),
        (*status_columns, ("total", _("Total"))),
        tuple(
            ReportRow(
                str(report.line.position),
                localized(report.line, "title"),
                (*(report.counts.get(status, 0) for status in STATUSES), report.total),
            )
            for report in lines
        ),
        chart=tuple(status.value for status in STATUSES),
        chart_title=_("Commitments per line of cooperation"),
        note=_(
            "Commitments open at some time in the period (recorded before it ended, not "
            "achieved or dropped before it began), by their current status."
        ),
    )
    each = ReportTable(
        "commitment_list",
        _("Commitments"),
        _("Commitment"),
        (("line", _("Line of cooperation")), ("status", _("Status")), ("target", _("Target"))),
        tuple(
            ReportRow(
                str(commitment.id),
                localized(commitment, "title"),
                (
                    localized(report.line, "title"),
                    str(STATUS_LABELS[commitment.status]),
                    commitment.target_on.isoformat(),
                ),
            )
            for report in lines
            for commitment in report.commitments
        ),
    )
    return [per_line, each]


SECTION = ReportSection("commitments", _l("Commitments"), report_tables, order=5)


REPORT_VERSION = declare(
    Mou.report_version,
    Raises((Commitment, LineOfCooperation), lambda rows: Mou.id.in_(old_and_new(rows, "mou_id"))),
)

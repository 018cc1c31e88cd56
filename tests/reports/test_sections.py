"""The report composes the sections the features declare, in their order, and nothing else:
a section another feature declares (commitments per line of cooperation, say) shows on the
page, in the CSV and in the PDF with no change to portal/reports."""

from datetime import date

from flask_babel import force_locale

from portal.core.extensions import db
from portal.mous.models import Mou
from portal.reports.export import report_csv, report_pdf
from portal.reports.queries import implementation_report
from portal.web.features import report_sections
from portal.web.sources import ReportPeriod, ReportRow, ReportSection, ReportTable


def _commitments(session, reader, mou, period):
    rows = tuple(ReportRow(f"line-{n}", f"Line {n} of {mou.title_en}", (n, 2 * n)) for n in (1, 2))
    columns = (("achieved", "Achieved"), ("planned", "Planned"))
    return [
        ReportTable(
            "commitments", "Commitments per line", "Line", columns, rows, chart=("achieved",)
        )
    ]


def test_the_report_is_made_of_the_declared_sections_in_their_order(app, world, login_as):
    assert [section.key for section in report_sections(app)] == [
        "meetings",
        "actions",
        "documents",
        "trainings",
    ]
    plugged = ReportSection("commitments", "Commitments", _commitments, order=5)
    period = ReportPeriod(date(2025, 1, 1), date(2025, 12, 31), "America/Santiago")
    with app.test_request_context(), force_locale("en"):
        reader, mou = db.session.merge(world.coordinator_gb), db.session.get(Mou, world.mou.id)
        sections = sorted([*report_sections(app), plugged], key=lambda s: s.order)
        report = implementation_report(db.session, reader, mou, period, sections)
        assert [part.key for part in report.parts] == [
            "commitments", "meetings", "actions", "documents", "trainings",
        ]  # fmt: skip
        text = report_csv(report)
        assert "Commitments,Commitments per line,Line 2 of " in text
        assert bytes(report_pdf(report, "en")).startswith(b"%PDF")

"""The report composes the sections the features declare, in their order, and nothing else:
the commitments' section (declared by portal/commitments, not named by portal/reports) shows
on the page, in the CSV and in the PDF."""

from datetime import date

from flask_babel import force_locale

from portal.commitments.models import CommitmentStatus
from portal.core.extensions import db
from portal.mous.models import LineOfCooperation, Mou
from portal.reports.export import report_csv, report_pdf
from portal.reports.queries import implementation_report
from portal.web.features import report_sections
from portal.web.sources import ReportPeriod
from tests.helpers.commitments import make_commitment


def test_the_report_is_made_of_the_declared_sections_in_their_order(app, world, session, login_as):
    assert [section.key for section in report_sections(app)] == [
        "commitments", "meetings", "actions", "documents", "trainings",
    ]  # fmt: skip
    mou = session.get(Mou, world.mou.id)
    mou.lines.append(LineOfCooperation(position=2, title_en="Training", title_es="Formación"))
    session.flush()
    first, second = mou.lines
    make_commitment(session, mou, first, title_en="Share bulletins", target_on=date(2025, 6, 1))
    make_commitment(
        session, mou, second, title_en="Joint exercise", status=CommitmentStatus.ACHIEVED,
        target_on=date(2025, 9, 1),
    )  # fmt: skip
    session.commit()
    period = ReportPeriod(date(2025, 1, 1), date(2030, 12, 31), "America/Santiago")
    with app.test_request_context(), force_locale("en"):
        reader, mou = db.session.merge(world.coordinator_gb), db.session.get(Mou, world.mou.id)
        report = implementation_report(db.session, reader, mou, period, report_sections(app))
        assert next(part.key for part in report.parts) == "commitments"
        text = report_csv(report)
        assert f"Commitments,Commitments per line of cooperation,{first.title_en},Planned,1" in text
        assert f",{second.title_en},Achieved,1" in text
        assert "Share bulletins" in text and "Joint exercise" in text
        assert bytes(report_pdf(report, "en")).startswith(b"%PDF")

"""The implementation report of an MoU: what came of it over a period (since its signature by
default), on one page in the reader's language, as CSV and as a PDF for a ministry.

The report hard-wires no feature: each feature declares its section (`report_sections` in its
`Feature`, a `portal.web.sources.ReportSection` giving tables for a reader, an MoU and a
period), and this package composes them in their order, draws their charts and writes the
page, the CSV and the PDF from the same tables. A new section (the commitments per line of
cooperation, say) is a `report.py` in its feature and one `report_sections=(...)` line in its
declaration; nothing here changes.
"""

from flask import Blueprint

from portal.web.features import Feature, PagePanel

bp = Blueprint("reports", __name__)


def declare() -> Feature:
    """What the report adds to the portal (portal.web.features says why a function)."""

    def mou_report_link(session, reader, mou) -> dict:
        # Every reader of the MoU's page may read its report: the same link for all (kept).
        return {"mou": mou, "kept": ()}

    return Feature(
        name="reports",
        blueprints=(bp,),
        view_modules=("portal.reports.views",),
        mou_panels=(PagePanel("reports/_mou_panel.html", mou_report_link, order=5),),
    )

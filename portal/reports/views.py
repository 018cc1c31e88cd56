"""The implementation report of an MoU: the page, its CSV and its PDF, for a period.

The tables are kept (portal/reports/queries.py), and so is the page's body made from them,
under the same key: a kept answer renders only the frame, the period's form and the time it
is issued at (a slot in the body)."""

from dataclasses import dataclass

from flask import Response, current_app, render_template, request, url_for
from flask_babel import force_locale
from flask_login import current_user
from markupsafe import Markup

from portal.core.clock import day_in
from portal.core.extensions import db
from portal.core.i18n import LANGUAGE_NAMES, current_language, select_timezone
from portal.core.kept import HTML_SLOTS
from portal.mous.models import Mou
from portal.reports import bp
from portal.reports.charts import chart_of
from portal.reports.export import (
    issued_text,
    parties_text,
    period_text,
    report_csv,
    report_pdf,
    shown,
)
from portal.reports.forms import ReportPeriodForm
from portal.reports.queries import (
    Report,
    default_first_day,
    implementation_report,
    load_report_mou,
)
from portal.reports.versions import REPORTS, ReportStamp
from portal.web.features import report_sections
from portal.web.forms import form_page
from portal.web.sources import ReportPeriod

TEMPLATE = "reports/report.html"
BODY_TEMPLATE = "reports/_report_body.html"
ISSUED_SLOT = "issued"


def _period(mou: Mou) -> tuple[ReportPeriodForm, ReportPeriod | None]:
    """The period asked for: since the signature up to today (on the reader's clock) by
    default; None when the form is not valid."""
    form = ReportPeriodForm(formdata=request.args)
    form.default_first = default_first_day(mou)
    if not form.validate():
        return form, None
    zone = select_timezone() or "UTC"
    first = form.first.data or form.default_first
    last = form.last.data or max(day_in(zone), first)
    form.first.data, form.last.data = first, last  # the inputs show the period
    return form, ReportPeriod(first, last, zone)


@dataclass(frozen=True)
class _Asked:
    """The MoU whose report is asked for, its report's stamp and the sections, gathered once."""

    mou: Mou
    stamp: ReportStamp
    sections: list


def _report_mou(mou_id: int) -> _Asked:
    sections = report_sections(current_app)
    mou, stamp = load_report_mou(db.session, current_user, mou_id, sections)
    return _Asked(mou, stamp, sections)


def _report(asked: _Asked, period: ReportPeriod) -> Report:
    return implementation_report(
        db.session, current_user, asked.mou, period, asked.sections, asked.stamp
    )


def _arguments(form: ReportPeriodForm) -> dict:
    return {"first": form.first.data.isoformat(), "last": form.last.data.isoformat()}


def _body(report: Report, form: ReportPeriodForm) -> Markup:
    """The period's form (valid: it shows the period and the PDF's language asked for) and the
    report's figures, charts and links, rendered once per kept report."""
    language = current_language()

    def render() -> list[str]:
        html = render_template(
            BODY_TEMPLATE,
            form=form,
            mou=report.mou,
            report=report,
            chart_of=chart_of,
            shown=lambda value: shown(value, language),
            parties=parties_text(report),
            period_words=period_text(report, language),
            issued=HTML_SLOTS.slot(ISSUED_SLOT),
            csv_link=url_for("reports.mou_report_csv", mou_id=report.mou.id, **_arguments(form)),
            pdf_links={
                code: url_for(
                    "reports.mou_report_pdf",
                    mou_id=report.mou.id,
                    language=code,
                    **_arguments(form),
                )
                for code in ("es", "en")
            },
        )
        return HTML_SLOTS.split(html)

    parts = REPORTS.get(db.session, ("body", report.key, form.language.data), render)
    return HTML_SLOTS.fill(parts, {ISSUED_SLOT: issued_text(report, language)})


@bp.route("/mous/<int:mou_id>/report")
def mou_report(mou_id: int):
    asked = _report_mou(mou_id)
    mou = asked.mou
    form, period = _period(mou)
    if period is None:
        return form_page(TEMPLATE, form, mou=mou, report=None)
    report = _report(asked, period)
    return render_template(TEMPLATE, form=form, mou=mou, report=report, body=_body(report, form))


@bp.route("/mous/<int:mou_id>/report.csv")
def mou_report_csv(mou_id: int):
    asked = _report_mou(mou_id)
    mou = asked.mou
    form, period = _period(mou)
    if period is None:
        return form_page(TEMPLATE, form, mou=mou, report=None)
    name = f"mou-{mou.id}-report-{period.first}-{period.last}.csv"
    return Response(
        report_csv(_report(asked, period)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/mous/<int:mou_id>/report.pdf")
def mou_report_pdf(mou_id: int):
    asked = _report_mou(mou_id)
    mou = asked.mou
    form, period = _period(mou)
    if period is None:
        return form_page(TEMPLATE, form, mou=mou, report=None)
    language = form.language.data if form.language.data in LANGUAGE_NAMES else current_language()
    with force_locale(language):
        pdf = report_pdf(_report(asked, period), language)
    name = f"mou-{mou.id}-report-{period.first}-{period.last}-{language}.pdf"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )

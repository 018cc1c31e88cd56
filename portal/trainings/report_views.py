"""Reports on trainings, per training and per MoU over a period: a page with a chart, and CSV."""

from datetime import timedelta

from flask import Response, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from portal.core.clock import day_in
from portal.core.errors import Forbidden
from portal.core.extensions import db
from portal.core.i18n import current_language, localized, select_timezone
from portal.core.kept import ProcessStore
from portal.mous import services as mous
from portal.mous.models import Mou
from portal.trainings import access, bp, queries, reports
from portal.trainings.followup_forms import ReportPeriodForm
from portal.trainings.report_chart import SERIES, report_chart
from portal.web.forms import form_page, options

REPORT_DEFAULT_DAYS = 365
NOT_A_MANAGER = _l("Only the coordinators of the MoU's parties see the reports.")

# A training's report (its figures, and the chart and tables drawn from them), kept under the
# version of its MoU's reports (report.py: raised by every change of a training, a
# registration or a certificate; reports/versions.py: by changes of parties and of people's
# party or role), read with the training before the figures, and the language. The figures
# are the same for every reader allowed to see them (its managers), and do not change with
# time alone.
TRAINING_REPORTS = ProcessStore("training-reports", size=1024)


def _page(template: str, report: reports.TrainingReport, **context):
    return render_template(
        template,
        report=report,
        chart=report_chart(report.by_party),
        series=SERIES,
        columns=reports.COLUMNS,
        column_labels=reports.COLUMN_LABELS,
        **context,
    )


def _csv(report: reports.TrainingReport, filename: str) -> Response:
    return Response(
        reports.report_csv(report),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# Per training -----------------------------------------------------------------------------


def _training_report(training_id: int):
    """(head, report, key): the report as kept under key, after the reader's rights; the
    training itself is read only to count a report not kept."""
    head = queries.read_report_head(db.session, current_user, training_id)
    if not head.may_view_report:
        raise Forbidden(str(NOT_A_MANAGER))
    key = ("training-report", head.id, head.report_version, current_language())
    report = TRAINING_REPORTS.get(db.session, key, lambda: _counted_report(training_id))
    return head, report, key


def _counted_report(training_id: int) -> reports.TrainingReport:
    training = queries.read_training(db.session, current_user, training_id)
    return reports.training_report(db.session, current_user, training)


@bp.route("/trainings/<int:training_id>/report")
def training_report(training_id: int):
    head, report, key = _training_report(training_id)
    body = TRAINING_REPORTS.get(db.session, (*key, "body"), lambda: _report_body(report))
    csv_link = url_for("trainings.training_report_csv", training_id=head.id)
    return render_template(
        "trainings/report.html",
        training=head,
        followup_links={"report": head.may_view_report},
        body=body,
        csv_link=csv_link,
    )


def _report_body(report: reports.TrainingReport) -> Markup:
    html = render_template(
        "trainings/_report_body.html",
        report=report,
        chart=report_chart(report.by_party),
        series=SERIES,
        columns=reports.COLUMNS,
        column_labels=reports.COLUMN_LABELS,
    )
    return Markup(html)  # noqa: S704 - rendered by the template, escaped  # nosec B704


@bp.route("/trainings/<int:training_id>/report.csv")
def training_report_csv(training_id: int):
    head, report, _key = _training_report(training_id)
    return _csv(report, f"training-{head.id}-report.csv")


# Per MoU, over a period -------------------------------------------------------------------


def _period_form(mou: Mou) -> ReportPeriodForm:
    form = ReportPeriodForm(formdata=request.args)
    parties = ((p.id, f"{p.code} · {localized(p, 'name')}") for p in mou.parties)
    form.party.choices = options([(0, _("All parties")), *parties])
    return form


def _period(form: ReportPeriodForm) -> reports.Period:
    """The period asked for, the last year up to today (on the reader's clock) by default."""
    zone = select_timezone() or "UTC"
    today = day_in(zone)
    first = form.first.data or today - timedelta(days=REPORT_DEFAULT_DAYS)
    return reports.Period(first, form.last.data or today, zone)


def _mou_report(mou_id: int):
    """(mou, form, period, report); no period nor report when the form is not valid."""
    mou = mous.get_mou(db.session, current_user, mou_id)
    if not access.can_view_mou_training_report(current_user, mou):
        raise Forbidden(str(NOT_A_MANAGER))
    form = _period_form(mou)
    if not form.validate():
        return mou, form, None, None
    period = _period(form)
    form.first.data, form.last.data = period.first, period.last  # the inputs show the period
    party_id = form.party.data or None
    return mou, form, period, reports.mou_report(db.session, current_user, mou, period, party_id)


@bp.route("/mous/<int:mou_id>/trainings/report")
def mou_report(mou_id: int):
    mou, form, period, report = _mou_report(mou_id)
    if report is None:
        return form_page("trainings/mou_report.html", form, mou=mou, report=None)
    arguments = {"first": period.first, "last": period.last, "party": form.party.data or 0}
    return _page(
        "trainings/mou_report.html",
        report,
        mou=mou,
        form=form,
        period=period,
        csv_link=url_for("trainings.mou_report_csv", mou_id=mou.id, **arguments),
    )


@bp.route("/mous/<int:mou_id>/trainings/report.csv")
def mou_report_csv(mou_id: int):
    mou, form, period, report = _mou_report(mou_id)
    if report is None:
        return form_page("trainings/mou_report.html", form, mou=mou, report=None)
    return _csv(report, f"mou-{mou.id}-trainings-{period.first}-{period.last}.csv")

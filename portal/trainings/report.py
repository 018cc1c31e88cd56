"""The trainings' section of an MoU's implementation report: trainings given, participants
per party and per sector, certificates issued. The figures are the MoU training report's
(reports.mou_figures: one aggregate statement), laid out as the implementation report's
tables.

Every change of a training, a registration or a certificate raises the kept report's version
(`Mou.report_version`). Nothing here changes with time alone: trainings are counted by their
start within the period, whose last day is part of what the report is kept under."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.core.kept import Raises, declare, old_and_new
from portal.mous.models import Mou
from portal.trainings import reports
from portal.trainings.certificates import Certificate
from portal.trainings.models import Registration, Training
from portal.web.sources import ReportPeriod, ReportRow, ReportSection, ReportTable

COLUMNS = (
    ("registrations", _l("Registrations")),
    ("confirmed", _l("Seats")),
    ("present", _l("Present")),
    ("partial", _l("Partial")),
    ("participants", _l("Participants")),
    ("certificates", _l("Certificates")),
)


def _values(row: reports.ReportRow) -> tuple[int, ...]:
    counts = {**row.counts, "participants": row.counts["present"] + row.counts["partial"]}
    return tuple(counts[key] for key, _label in COLUMNS)


def _table(key: str, caption: str, heading: str, rows: list, **chart) -> ReportTable:
    columns = tuple((name, str(label)) for name, label in COLUMNS)
    lines = tuple(ReportRow(str(row.key), row.label, _values(row)) for row in rows)
    return ReportTable(key, caption, heading, columns, lines, **chart)


def report_tables(session: Session, reader: User, mou: Mou, period: ReportPeriod) -> list:
    figures = reports.mou_figures(
        session, mou, reports.Period(period.first, period.last, period.zone)
    )
    total = _values(figures.total)
    summary = ReportTable(
        "trainings",
        _("Trainings"),
        _("Trainings"),
        (("number", _("Number")),),
        (
            ReportRow("trainings", _("Trainings given (not cancelled)"), (figures.trainings,)),
            ReportRow("participants", _("Participants (present or partial)"), (total[4],)),
            ReportRow("certificates", _("Certificates issued"), (total[5],)),
        ),
    )
    return [
        summary,
        _table(
            "trainings_per_party",
            _("Training participants per party"),
            _("Party"),
            figures.by_party,
            chart=("participants", "certificates"),
            chart_title=_("Training participants and certificates per party"),
        ),
        _table(
            "trainings_per_sector",
            _("Training participants per sector"),
            _("Sector"),
            figures.by_sector,
        ),
    ]


SECTION = ReportSection("trainings", _l("Trainings"), report_tables, order=40)


def _mous_of_trainings(trainings):
    return Mou.id.in_(select(Training.mou_id).where(Training.id.in_(trainings)))


REPORT_VERSION = declare(
    Mou.report_version,
    Raises(Training, lambda trainings: Mou.id.in_(old_and_new(trainings, "mou_id"))),
    Raises(
        Registration,
        lambda registrations: _mous_of_trainings(old_and_new(registrations, "training_id")),
    ),
    Raises(
        Certificate,
        lambda certificates: _mous_of_trainings(
            select(Registration.training_id).where(
                Registration.id.in_(old_and_new(certificates, "registration_id"))
            )
        ),
    ),
)

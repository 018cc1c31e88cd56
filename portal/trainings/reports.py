"""Reports on trainings, per training and per MoU over a period: registrations, the waiting
list, attendance and certificates, per party and per sector (and per training for an MoU).

Every figure comes from one aggregate query grouped by training, party, sector, status and
attendance; the tables are folded from its rows, so the query count does not grow with the
number of registrations or trainings.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.accounts.models import Party, User
from portal.core.errors import Denied
from portal.core.i18n import localized
from portal.core.spreadsheet import csv_text
from portal.mous.models import Mou
from portal.trainings import access
from portal.trainings.certificates import Certificate
from portal.trainings.models import Registration, Sector, Training, TrainingStatus

COLUMNS = (
    "registrations",
    "confirmed",
    "waitlisted",
    "cancelled",
    "present",
    "partial",
    "absent",
    "certificates",
)
COLUMN_LABELS = {
    "registrations": _l("Registrations"),
    "confirmed": _l("Seats"),
    "waitlisted": _l("Waiting list"),
    "cancelled": _l("Cancelled"),
    "present": _l("Present"),
    "partial": _l("Partial"),
    "absent": _l("Absent"),
    "certificates": _l("Certificates"),
}
SECTOR_LABELS = {
    Sector.PUBLIC: _l("Public sector"),
    Sector.PRIVATE: _l("Private sector"),
    Sector.ACADEMIA: _l("Academia"),
    Sector.OTHER: _l("Other"),
}


# External participants belong to no delegation: they are counted apart, per sector.
EXTERNAL_LABEL = _l("External participants")


def external_key(sector: Sector) -> str:
    return f"external-{sector.value}"


@dataclass
class ReportRow:
    key: object
    label: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLUMNS, 0))

    def add(self, status: str, attendance: str | None, count: int, certificates: int) -> None:
        self.counts["registrations"] += count
        self.counts[str(status)] += count
        if attendance:
            self.counts[str(attendance)] += count
        self.counts["certificates"] += certificates


@dataclass
class TrainingReport:
    trainings: int
    by_party: list[ReportRow]
    by_sector: list[ReportRow]
    by_training: list[ReportRow]
    total: ReportRow


@dataclass(frozen=True)
class Period:
    """Trainings that start from the first day to the last (inclusive) on `zone`'s clock."""

    first: date
    last: date
    zone: str

    def bounds(self) -> tuple[datetime, datetime]:
        tz = ZoneInfo(self.zone)
        start = datetime.combine(self.first, time(), tz)
        end = datetime.combine(self.last + timedelta(days=1), time(), tz)
        return start, end


def _counts(session: Session, trainings, party_id: int | None):
    """(training, party, sector, status, attendance, registrations, certificates) rows."""
    query = (
        select(
            Registration.training_id,
            User.party_id,  # None for external participants: counted apart
            Registration.sector,
            Registration.status,
            Registration.attendance,
            func.count(Registration.id),
            func.count(Certificate.id),
        )
        .join(User, User.id == Registration.user_id)
        .outerjoin(Certificate, Certificate.registration_id == Registration.id)
        .where(Registration.training_id.in_(trainings))
        .group_by(
            Registration.training_id,
            User.party_id,
            Registration.sector,
            Registration.status,
            Registration.attendance,
        )
    )
    if party_id:
        query = query.where(User.party_id == party_id)
    return session.execute(query).all()


def _fold(rows, parties: list[Party], trainings: list[Training]) -> TrainingReport:
    by_party = {p.id: ReportRow(p.id, f"{p.code} · {localized(p, 'name')}") for p in parties}
    by_sector = {s: ReportRow(s.value, str(label)) for s, label in SECTOR_LABELS.items()}
    externals = {
        s: ReportRow(external_key(s), f"{EXTERNAL_LABEL} · {label}")
        for s, label in SECTOR_LABELS.items()
    }
    by_training = {t.id: ReportRow(t.id, localized(t, "title")) for t in trainings}
    total = ReportRow("total", str(_l("All")))
    for training_id, party_id, sector, status, attendance, count, certificates in rows:
        for row in (
            by_party.get(party_id) if party_id is not None else externals[Sector(sector)],
            by_sector[Sector(sector)],
            by_training.get(training_id),
            total,
        ):
            if row is not None:
                row.add(status, attendance, count, certificates)
    return TrainingReport(
        trainings=len(trainings),
        by_party=[
            *by_party.values(),
            *(row for row in externals.values() if row.counts["registrations"]),
        ],
        by_sector=list(by_sector.values()),
        by_training=list(by_training.values()),
        total=total,
    )


def _parties(session: Session, mou: Mou, rows, party_id: int | None) -> list[Party]:
    """The MoU's parties (shown even at zero), then any other party a participant belongs to."""
    ids = {row[1] for row in rows if row[1] is not None} | {p.id for p in mou.parties}
    if party_id:
        ids = {party_id}
    parties = session.scalars(select(Party).where(Party.id.in_(ids))).all()
    mou_order = {p.id: n for n, p in enumerate(mou.parties)}
    return sorted(parties, key=lambda p: (mou_order.get(p.id, len(mou_order)), p.code))


def training_report(session: Session, actor: User, training: Training) -> TrainingReport:
    if not access.can_view_training_report(actor, training):
        raise Denied("training_report", training.id)
    rows = _counts(session, [training.id], None)
    report = _fold(rows, _parties(session, training.mou, rows, None), [training])
    report.by_training = []
    return report


def mou_report(
    session: Session, actor: User, mou: Mou, period: Period, party_id: int | None = None
) -> TrainingReport:
    """Trainings of the MoU that start in the period, not the cancelled ones."""
    if not access.can_view_mou_training_report(actor, mou):
        raise Denied("mou_training_report", mou.id)
    return mou_figures(session, mou, period, party_id)


def mou_figures(
    session: Session, mou: Mou, period: Period, party_id: int | None = None
) -> TrainingReport:
    """The MoU's report, for a caller that has checked who reads it (the MoU's
    implementation report shows these figures to every reader of the MoU)."""
    start, end = period.bounds()
    trainings = session.scalars(
        select(Training)
        .where(
            Training.mou_id == mou.id,
            Training.starts_at >= start,
            Training.starts_at < end,
            Training.status != TrainingStatus.CANCELLED,
        )
        .order_by(Training.starts_at, Training.id)
    ).all()
    rows = _counts(session, [t.id for t in trainings], party_id) if trainings else []
    return _fold(rows, _parties(session, mou, rows, party_id), list(trainings))


def report_csv(report: TrainingReport) -> str:
    """One table: a section column (party, sector, training), the row's name, the counts."""
    sections = (
        (_l("Party"), report.by_party),
        (_l("Sector"), report.by_sector),
        (_l("Training"), report.by_training),
        (_l("Total"), [report.total]),
    )
    header = [str(_l("Breakdown")), str(_l("Name")), *(str(COLUMN_LABELS[c]) for c in COLUMNS)]
    lines = [header]
    for section, rows in sections:
        lines.extend([str(section), row.label, *(row.counts[c] for c in COLUMNS)] for row in rows)
    return csv_text(lines)

"""The report: the declared sections' tables for a reader, an MoU and a period, computed once
and kept (portal/reports/versions.py) until a change it counts or the next instant at which
its figures change by time alone."""

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.core.db import utcnow
from portal.core.errors import Denied, NotFound
from portal.mous.models import Mou
from portal.reports import access
from portal.reports.versions import REPORTS, ReportStamp, mou_and_stamp, read_stamp, report_key
from portal.web.sources import ReportPeriod, ReportSection, ReportTable


@dataclass(frozen=True)
class ReportPart:
    key: str
    title: str
    tables: tuple[ReportTable, ...]


@dataclass(frozen=True)
class Report:
    """`issued_at` is when it was asked for: the kept figures are those a computation at that
    instant gives (their key holds every input, the next change by time included)."""

    mou: Mou
    period: ReportPeriod
    issued_at: datetime
    parts: tuple[ReportPart, ...]
    key: Hashable = None  # what the parts are kept under; renderings of them add to it


# Before anything the portal can hold: the whole history of an MoU with no date of signature.
WHOLE_HISTORY = date(2000, 1, 1)


def default_first_day(mou: Mou) -> date:
    """Since the signature (or the start of its term); its whole history when it has neither."""
    return mou.signed_on or mou.term_starts_on or WHOLE_HISTORY


def implementation_report(
    session: Session,
    reader: User,
    mou: Mou,
    period: ReportPeriod,
    sections: list[ReportSection],
    stamp: ReportStamp | None = None,
) -> Report:
    """Every section's tables, in the reader's language (call it inside the locale wanted).
    `stamp` comes with the MoU from `load_report_mou`, which has checked that the reader may
    read the report; without it, the check is made and the stamp read here."""
    if stamp is None:
        if not access.can_view_report(reader, mou):
            raise Denied("mou_report", mou.id)
        stamp = read_stamp(session, mou, sections, utcnow())
    key = report_key(reader, mou, period, sections, stamp)

    def compute() -> tuple[ReportPart, ...]:
        return tuple(
            ReportPart(
                section.key, str(section.title), tuple(section.tables(session, reader, mou, period))
            )
            for section in sections
        )

    return Report(mou, period, stamp.now, REPORTS.get(session, key, compute), key)


def load_report_mou(
    session: Session, reader: User, mou_id: int, sections: list[ReportSection]
) -> tuple[Mou, ReportStamp]:
    """The MoU whose report the reader asks for, with its report's stamp (one statement);
    NotFound when there is none, Denied when the reader may not see it."""
    loaded = mou_and_stamp(session, reader, mou_id, sections, utcnow())
    if loaded is None:
        raise NotFound()
    mou, readable, stamp = loaded
    if not readable:
        raise Denied("mou_report", mou_id)
    return mou, stamp

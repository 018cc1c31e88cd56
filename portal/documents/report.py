"""The documents' section of an MoU's implementation report: the documents shared in the
period per category and owning party, every one counted, and how many of them the reader
may open; titles only of those (access.visible_documents_clause), never of the others.
Two statements: one aggregate, one list of at most LISTED titles. Every change of a document
(its readers included) raises the kept report's version (`Mou.report_version`)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.core.kept import Raises, declare, old_and_new
from portal.documents.access import visible_documents_clause
from portal.documents.forms import CATEGORY_LABELS
from portal.documents.models import Document
from portal.mous.models import Mou
from portal.web.sources import ReportPeriod, ReportRow, ReportSection, ReportTable

LISTED = 20


def _scope(mou: Mou, period: ReportPeriod) -> list:
    start, end = period.bounds()
    return [Document.mou_id == mou.id, Document.created_at >= start, Document.created_at < end]


def _per_category(session: Session, reader: User, mou: Mou, scope: list) -> ReportTable:
    counted: dict = {}
    openable: dict = {}
    for category, party_id, count, may_open in session.execute(
        select(
            Document.category,
            Document.owning_party_id,
            func.count(),
            func.count().filter(visible_documents_clause(reader)),
        )
        .where(*scope)
        .group_by(Document.category, Document.owning_party_id)
    ):
        counted[(category, party_id)] = count
        openable[category] = openable.get(category, 0) + may_open
    parties = list(mou.parties)
    rows = tuple(
        ReportRow(
            category.value,
            str(label),
            (
                *(counted.get((category, party.id), 0) for party in parties),
                sum(n for (c, _p), n in counted.items() if c == category),
                openable.get(category, 0),
            ),
        )
        for category, label in CATEGORY_LABELS.items()
    )
    columns = (
        *((party.code, _("Shared by %(party)s", party=party.code)) for party in parties),
        ("total", _("All")),
        ("you_may_open", _("You may open")),
    )
    return ReportTable(
        "documents",
        _("Documents shared per category and party"),
        _("Category"),
        columns,
        rows,
        chart=tuple(party.code for party in parties),
        chart_title=_("Documents shared per category and party"),
        note=_(
            "Every document shared in the period is counted, whatever its TLP label; "
            "titles are listed only for those you may open."
        ),
    )


def _titles(session: Session, reader: User, mou: Mou, scope: list) -> ReportTable:
    codes = {party.id: party.code for party in mou.parties}
    documents = session.execute(
        select(Document.id, Document.title, Document.owning_party_id, Document.category)
        .where(*scope, visible_documents_clause(reader))
        .order_by(Document.created_at.desc(), Document.id.desc())
        .limit(LISTED)
    ).all()
    rows = tuple(
        ReportRow(
            str(document_id),
            title,
            (codes.get(party_id, ""), str(CATEGORY_LABELS[category])),
        )
        for document_id, title, party_id, category in documents
    )
    return ReportTable(
        "documents_listed",
        _("The newest documents you may open (at most %(count)d)", count=LISTED),
        _("Title"),
        (("party", _("Party")), ("category", _("Category"))),
        rows,
    )


def report_tables(session: Session, reader: User, mou: Mou, period: ReportPeriod) -> list:
    scope = _scope(mou, period)
    return [_per_category(session, reader, mou, scope), _titles(session, reader, mou, scope)]


SECTION = ReportSection("documents", _l("Documents"), report_tables, order=30)


REPORT_VERSION = declare(
    Mou.report_version,
    Raises(Document, lambda documents: Mou.id.in_(old_and_new(documents, "mou_id"))),
)

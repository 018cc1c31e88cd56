"""Who may read an MoU's implementation report: whoever may see the MoU (its parties'
delegations and the administrators). What each section counts or names for that reader is
decided by its feature's `access.py` clauses (portal.web.sources.ReportSection)."""

from portal.accounts.models import User
from portal.mous.access import can_view_mou, mou_readers_clause
from portal.mous.models import Mou


def can_view_report(user: User, mou: Mou) -> bool:
    return can_view_mou(user, mou)


def report_readers_clause(mou_id_column, user):
    """can_view_report in SQL, for the MoU whose id is in the column."""
    return mou_readers_clause(mou_id_column, user)

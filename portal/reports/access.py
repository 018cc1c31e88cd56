"""Who may read an MoU's implementation report: whoever may see the MoU (its parties'
delegations and the administrators). What each section counts or names for that reader is
decided by its feature's `access.py` clauses (portal.web.sources.ReportSection)."""

from portal.accounts.models import User
from portal.mous.access import can_view_mou
from portal.mous.models import Mou


def can_view_report(user: User, mou: Mou) -> bool:
    return can_view_mou(user, mou)

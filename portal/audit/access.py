"""Who may read the audit log, and which delegation's events they are limited to.

Administrators read every event; coordinators those of their own delegation.
"""

from portal.accounts.models import Role, User
from portal.core.access import can_administer


def can_read_audit_log(user: User) -> bool:
    """Administrators read every event; coordinators those of their own delegation."""
    if not user.is_authenticated:
        return False
    return can_administer(user) or (user.role == Role.COORDINATOR and user.party_id is not None)


def audit_log_party_id(user: User) -> int | None:
    """The one delegation whose events the reader is limited to; None for every delegation
    (administrators only: a reader of no delegation is refused by can_read_audit_log)."""
    return None if can_administer(user) else user.party_id

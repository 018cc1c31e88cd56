"""Who may choose a person's mail preferences and read or retry the outbox.

Each person chooses their own notifications; the outbox, which shows every recipient's
address, is for administrators only.
"""

from portal.accounts.models import User
from portal.core.access import can_administer


def can_manage_notification_preferences(actor: User, person: User) -> bool:
    """Each person chooses for themselves; nobody, not even an administrator, for others."""
    return actor.is_authenticated and actor.id == person.id


def can_view_outbox(user: User) -> bool:
    """The outbox shows every recipient's address: administrators only."""
    return can_administer(user)


def can_retry_outbox_message(user: User) -> bool:
    return can_administer(user)

"""Reading the outbox for the dashboard (its administrators' page is outbox_admin.py)."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.notifications import access
from portal.notifications.models import OutboxMessage, OutboxStatus


def failed_mail_count(session: Session, reader: User) -> int:
    """Mails that will not be sent without an administrator; 0 for anyone else."""
    if not access.can_view_outbox(reader):
        return 0
    failed = select(func.count()).where(OutboxMessage.status == OutboxStatus.FAILED)
    return session.scalar(failed) or 0

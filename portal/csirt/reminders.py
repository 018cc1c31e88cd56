"""Unanswered alerts of high or critical severity: reminded 4 hours after they were published,
then once a day, to the receiving CSIRT members of each party that has not answered yet."""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.core.reminder_log import record_reminder, sent_keys
from portal.csirt import notifications as notify
from portal.csirt.models import Bulletin, BulletinKind, Severity
from portal.mous.models import Mou

JOB = "csirt_unanswered"
FIRST = timedelta(hours=4)
THEN = timedelta(days=1)
# An alert unanswered for a month is not reminded any more: someone has to call instead.
GIVE_UP = timedelta(days=30)


def period_of(bulletin: Bulletin, now: datetime) -> str | None:
    """ "0" from 4 hours on, "1" a day later, and so on; None before the first is due."""
    waited = now - bulletin.created_at
    if waited < FIRST or waited > GIVE_UP:
        return None
    return str((waited - FIRST) // THEN)


def queue_unanswered_alerts(session: Session, now: datetime) -> int:
    """Queue the reminders now due; return how many. Safe to run every few minutes."""
    bulletins = list(
        session.scalars(
            select(Bulletin)
            .where(
                Bulletin.kind == BulletinKind.ALERT,
                Bulletin.severity.in_((Severity.HIGH, Severity.CRITICAL)),
                Bulletin.created_at <= now - FIRST,
                Bulletin.created_at >= now - GIVE_UP,
            )
            .options(
                selectinload(Bulletin.mou).selectinload(Mou.parties),
                selectinload(Bulletin.acknowledgements),
                selectinload(Bulletin.readers),
            )
            .order_by(Bulletin.id)
        )
    )
    sent = sent_keys(session, JOB, [b.id for b in bulletins])
    queued = 0
    for bulletin in bulletins:
        period = period_of(bulletin, now)
        if period is None:
            continue
        answered = {a.party_id for a in bulletin.acknowledgements}
        for person in notify.receivers(session, bulletin):
            if person.party_id in answered or (bulletin.id, person.id, period) in sent:
                continue
            notify.reminder(session, bulletin, person)
            record_reminder(session, JOB, bulletin.id, person.id, period)
            queued += 1
    return queued

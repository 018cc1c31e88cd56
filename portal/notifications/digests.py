"""The daily digest: each person's held notifications in one mail, once per day of their own."""

from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_ngettext
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.core.db import utcnow
from portal.notifications.models import Digest, DigestItem
from portal.notifications.preferences import DIGEST
from portal.notifications.readable import no_longer_readable
from portal.notifications.services import queue_email
from portal.web.urls import external_url


def _subject(count: int):
    return lazy_ngettext(
        "Your daily summary: %(num)d notification",
        "Your daily summary: %(num)d notifications",
        count,
    )


def send_digests(session: Session, now=None) -> int:
    """Queue one digest per person with held items, unless they had one on this local day.

    Idempotent: (person, local day) is unique, so a second run the same day queues nothing;
    items held after today's digest wait for tomorrow's. Nobody's digest goes before
    OUTBOX_DIGEST_LOCAL_HOUR on their own clock: run it hourly and each reads it at breakfast.
    Each item is checked against the person's rights as they are now: what they may no
    longer open is withdrawn, and a day left with nothing to tell sends no digest.
    """
    now = now or utcnow()
    first_hour = current_app.config["OUTBOX_DIGEST_LOCAL_HOUR"]
    waiting = select(DigestItem.user_id).where(_held()).distinct()
    queued = 0
    for user in session.scalars(select(User).where(User.id.in_(waiting)).order_by(User.id)):
        if user.is_active and _send_digest(session, user, now, first_hour):
            queued += 1
    return queued


def _send_digest(session: Session, user: User, now, first_hour: int) -> bool:
    local = now.astimezone(ZoneInfo(user.timezone))
    if local.hour < first_hour:
        return False
    day = local.date()
    already = select(Digest.id).where(Digest.user_id == user.id, Digest.digest_on == day)
    if session.scalar(already) is not None:
        return False
    items = session.scalars(
        select(DigestItem)
        .where(DigestItem.user_id == user.id, _held())
        .order_by(DigestItem.created_at, DigestItem.id)
    ).all()
    items = _without_unreadable(session, user, items, now)
    if not items:
        return False
    digest = Digest(user_id=user.id, digest_on=day)
    session.add(digest)
    session.flush()
    message = queue_email(
        session,
        kind="digest",
        template="notifications/digest",
        subject=_subject(len(items)),
        recipient=user.email,
        recipient_user=user,
        language=user.language,
        unsubscribe_as=DIGEST,
        items=items,
        day=day,
        link=external_url("main.index"),
    )
    session.flush()
    digest.outbox_message_id = message.id
    for item in items:
        item.digest_id = digest.id
    return True


def _held():
    return DigestItem.digest_id.is_(None) & DigestItem.withdrawn_at.is_(None)


def _without_unreadable(session: Session, user: User, items, now) -> list[DigestItem]:
    """The items the person may still open; the others are withdrawn for good."""
    failing = no_longer_readable(session, items, lambda item: user)
    if failing:
        session.execute(
            update(DigestItem)
            .where(DigestItem.id.in_([item.id for item in failing]))
            .values(withdrawn_at=now)
            .execution_options(synchronize_session=False)
        )
    gone = set(failing)
    return [item for item in items if item not in gone]

"""Each person's choice per category (immediate, daily digest or off) and one-click unsubscribe."""

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.audit.services import record
from portal.core.db import utcnow
from portal.core.errors import NotFound, ValidationError
from portal.core.tokens import read_signed_token, signed_token
from portal.notifications import access
from portal.notifications.categories import categories
from portal.notifications.models import Delivery, NotificationPreference
from portal.web.urls import external_url

UNSUBSCRIBE_PURPOSE = "notification-unsubscribe"
# The digest mail's own unsubscribe turns off every category the person reads as a digest.
DIGEST = "digest"


def delivery_for(session: Session, user_id: int, category: str) -> Delivery:
    """The person's choice; one query per category per session, not one per recipient
    (a meeting of 500 invitees queues 500 mails in one request)."""
    cache = session.info.setdefault(_CACHE, {})
    if category not in cache:
        rows = session.execute(
            select(NotificationPreference.user_id, NotificationPreference.delivery).where(
                NotificationPreference.category == category
            )
        )
        cache[category] = {user_id: delivery for user_id, delivery in rows}
    return cache[category].get(user_id, Delivery.IMMEDIATE)


_CACHE = "notification_preferences"


def _forget_cached_choices(session: Session) -> None:
    session.info.pop(_CACHE, None)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _cached_choices_last_one_transaction(session: Session) -> None:
    _forget_cached_choices(session)


def preferences_of(session: Session, actor: User, person: User) -> dict[str, Delivery]:
    """Every category with the person's choice (immediate where they made none)."""
    if not access.can_manage_notification_preferences(actor, person):
        raise NotFound()
    rows = session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == person.id)
    )
    chosen = {row.category: row.delivery for row in rows}
    return {category: chosen.get(category, Delivery.IMMEDIATE) for category in categories()}


def set_preferences(
    session: Session, actor: User, person: User, choices: dict[str, Delivery]
) -> list[str]:
    """Save the person's choices; return the categories that changed."""
    if not access.can_manage_notification_preferences(actor, person):
        raise NotFound()
    unknown = set(choices) - set(categories())
    if unknown:
        raise ValidationError(f"unknown categories: {sorted(unknown)}")
    current = preferences_of(session, actor, person)
    changed = [c for c, delivery in choices.items() if current[c] != delivery]
    for category in changed:
        _store(session, person.id, category, choices[category])
    if changed:
        record(
            session,
            "notifications.preferences_changed",
            actor=actor,
            object_type="user",
            object_id=person.id,
            changes={c: choices[c].value for c in changed},
        )
    return changed


def _store(session: Session, user_id: int, category: str, delivery: Delivery) -> None:
    preference = session.get(NotificationPreference, (user_id, category))
    if preference is None:
        preference = NotificationPreference(user_id=user_id, category=category)
        session.add(preference)
    preference.delivery = delivery
    preference.updated_at = utcnow()
    _forget_cached_choices(session)


# One-click unsubscribe (RFC 8058) -------------------------------------------------------------


def unsubscribe_url(user_id: int, category: str) -> str:
    token = signed_token(UNSUBSCRIBE_PURPOSE, {"u": user_id, "c": category})
    return external_url("notifications.unsubscribe", token=token)


def read_unsubscribe_token(session: Session, token: str) -> tuple[User, str]:
    """The person and category a link names; NotFound when forged or the account is gone."""
    payload = read_signed_token(UNSUBSCRIBE_PURPOSE, token) or {}
    user_id, category = payload.get("u"), payload.get("c")
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.is_active or category not in (*categories(), DIGEST):
        raise NotFound()
    return user, category


def unsubscribe(session: Session, token: str) -> tuple[User, str, bool]:
    """Turn the link's category off; return (person, category, whether anything changed).

    The link is the authority (no login, no CSRF token: mail clients POST it themselves);
    a second use changes nothing and says so.
    """
    user, category = read_unsubscribe_token(session, token)
    if category == DIGEST:
        targets = [c for c in categories() if delivery_for(session, user.id, c) == Delivery.DIGEST]
    else:
        targets = [category] if delivery_for(session, user.id, category) != Delivery.OFF else []
    for target in targets:
        _store(session, user.id, target, Delivery.OFF)
    if targets:
        record(
            session,
            "notifications.unsubscribed",
            actor=user,
            object_type="user",
            object_id=user.id,
            categories=targets,
        )
    return user, category, bool(targets)

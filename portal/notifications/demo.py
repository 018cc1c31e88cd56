"""Demo notification choices."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.notifications.models import Delivery, DigestItem, NotificationPreference

DEMO_PREFERENCES = [
    ("member.gb@demo.portal", "minutes", Delivery.DIGEST),
    ("member.gb@demo.portal", "documents", Delivery.OFF),
]


def seed_demo_preferences(session: Session, users: dict[str, User]) -> None:
    for email, category, delivery in DEMO_PREFERENCES:
        user = users[email]
        if session.get(NotificationPreference, (user.id, category)) is None:
            session.add(
                NotificationPreference(user_id=user.id, category=category, delivery=delivery)
            )
    emily = users["member.gb@demo.portal"]
    if session.scalar(select(DigestItem.id).where(DigestItem.user_id == emily.id)) is None:
        session.add(
            DigestItem(
                user_id=emily.id,
                kind="minutes_circulated",
                category="minutes",
                subject="[TLP:AMBER] Minutes for approval: Binational Working Group",
            )
        )

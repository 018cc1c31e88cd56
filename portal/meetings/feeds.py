"""Private calendar feed URLs: an HMAC of (person, generation), revocable by regenerating."""

import hashlib
import hmac

from flask import current_app
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.audit.services import record
from portal.core.errors import NotFound
from portal.meetings.models import CalendarFeed


def _signature(user_id: int, generation: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    message = f"calendar-feed:{user_id}:{generation}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:40]


def feed_token(feed: CalendarFeed) -> str:
    return token_of(feed.user_id, feed.generation)


def token_of(user_id: int, generation: int) -> str:
    """The feed URL's token of the person's feed at that generation."""
    return f"{user_id}-{_signature(user_id, generation)}"


def regenerate_feed(session: Session, user: User) -> CalendarFeed:
    """Create the person's feed, or replace its URL: the old one stops working at once."""
    feed = session.get(CalendarFeed, user.id)
    if feed is None:
        feed = CalendarFeed(user_id=user.id, generation=1)
        session.add(feed)
    else:
        feed.generation += 1
    record(session, "calendar_feed.regenerated", actor=user, object_type="user", object_id=user.id)
    return feed


def user_from_feed_token(session: Session, token: str) -> User:
    user_id, _, signature = token.partition("-")
    feed = session.get(CalendarFeed, int(user_id)) if user_id.isdigit() else None
    if feed is None or not hmac.compare_digest(
        signature, _signature(feed.user_id, feed.generation)
    ):
        raise NotFound()
    user = session.get(User, feed.user_id)
    if user is None or not user.is_active:
        raise NotFound()
    return user

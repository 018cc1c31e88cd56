"""Between the password and the second factor: a short-lived state that is not a login.

It lives in the signed cookie: who passed the password step, when, and where to go next.
Flask-Login knows nobody until the second factor passes; then a new server-side session
starts (views.begin_session), so the session id changes at login (SECURITY 7).
"""

from datetime import timedelta

from flask import session, url_for
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.core.db import utcnow

PENDING_LIFETIME = timedelta(minutes=5)
_KEY = "second_factor_pending"


def start(user: User, next_path: str) -> str:
    """Forget the old cookie's contents, remember the password step; the URL to go to."""
    language = session.get("language")
    session.clear()
    if language:
        session["language"] = language
    session[_KEY] = {"user_id": user.id, "since": utcnow().timestamp(), "next": next_path}
    return url_for("accounts.second_factor")


def pending_user(db_session: Session) -> tuple[User, str] | None:
    """(the person, where to go after) while the state is fresh, else None."""
    state = session.get(_KEY)
    if not isinstance(state, dict):
        return None
    if utcnow().timestamp() - state.get("since", 0) > PENDING_LIFETIME.total_seconds():
        session.pop(_KEY, None)
        return None
    user = db_session.get(User, state.get("user_id"))
    if user is None or not user.is_active or not user.has_second_factor:
        return None
    return user, state.get("next") or url_for("main.index")

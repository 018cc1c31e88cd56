"""Signed links in invitation mails that can do one thing: answer one invitation."""

from collections.abc import Callable

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from portal.core.errors import NotFound
from portal.meetings.models import Invitee

SALT = "meeting-reply"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def reply_token(invitee: Invitee) -> str:
    return _serializer().dumps({"invitee": invitee.id, "meeting": invitee.meeting_id})


def reply_tokens() -> Callable[[Invitee], str]:
    """reply_token() for many invitees with one serializer (a meeting may have hundreds)."""
    serializer = _serializer()
    return lambda invitee: serializer.dumps({"invitee": invitee.id, "meeting": invitee.meeting_id})


def invitee_from_token(session: Session, token: str) -> Invitee:
    try:
        data = _serializer().loads(token)
    except BadSignature as error:
        raise NotFound(str(_l("This reply link is not valid."))) from error
    invitee = session.get(Invitee, data.get("invitee")) if isinstance(data, dict) else None
    if invitee is None or invitee.meeting_id != data.get("meeting"):
        raise NotFound(str(_l("This reply link is not valid any more.")))
    return invitee

"""Signed links in invitation mails that can do one thing: answer one invitation."""

import hmac
from collections.abc import Callable
from functools import lru_cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from itsdangerous.encoding import base64_encode
from sqlalchemy.orm import Session

from portal.core.errors import NotFound
from portal.meetings.models import Invitee

SALT = "meeting-reply"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def reply_token(invitee: Invitee) -> str:
    return _serializer().dumps({"invitee": invitee.id, "meeting": invitee.meeting_id})


def reply_tokens() -> Callable[[Invitee], str]:
    """reply_token() for many invitees (a meeting may have hundreds) at a fraction of the cost:
    the signing key is derived once (itsdangerous derives it per token) and the payload is
    not offered to zlib, which only shrinks ids repeating long runs of digits. So the tokens
    are reply_token()'s, but for such ids an uncompressed one, which reads the same."""
    sign = _signing(current_app.config["SECRET_KEY"])
    return lambda invitee: sign(invitee.id, invitee.meeting_id)


def invitation_ids(invitee) -> str:
    """What a reply token is made from, as a mail for many keeps it: "<invitee>.<meeting>"."""
    return f"{invitee.id}.{invitee.meeting_id}"


def reply_token_of(secret_key: str, ids: str) -> str:
    """The reply token of invitation_ids() (the mail value the outbox derives when it fills
    an invitation: portal.core.mail_values)."""
    invitee_id, _, meeting_id = ids.partition(".")
    return _signing(secret_key)(int(invitee_id), int(meeting_id))


@lru_cache(maxsize=4)
def _signing(secret_key: str) -> Callable[[int, int], str]:
    signer = URLSafeSerializer(secret_key, salt=SALT).make_signer()
    separator = signer.sep
    keyed = hmac.new(signer.derive_key(), digestmod=signer.digest_method)

    def token(invitee_id: int, meeting_id: int) -> str:
        payload = base64_encode(f'{{"invitee":{invitee_id},"meeting":{meeting_id}}}')
        mac = keyed.copy()
        mac.update(payload)
        return (payload + separator + base64_encode(mac.digest())).decode("ascii")

    return token


def invitee_from_token(session: Session, token: str) -> Invitee:
    try:
        data = _serializer().loads(token)
    except BadSignature as error:
        raise NotFound(str(_l("This reply link is not valid."))) from error
    invitee = session.get(Invitee, data.get("invitee")) if isinstance(data, dict) else None
    if invitee is None or invitee.meeting_id != data.get("meeting"):
        raise NotFound(str(_l("This reply link is not valid any more.")))
    return invitee

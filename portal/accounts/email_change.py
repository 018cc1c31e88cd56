"""Changing one's email address: the new address proves it is the person's by a link.

The link is a signed token naming the account, its address at the time and the new one;
it stops working once the address has changed (so it works once) and after one hour.
"""

import time

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.accounts.notifications import SecurityEvent, send_security_notice
from portal.accounts.services import find_user_by_email, normalize_email
from portal.core.errors import NotFound, ValidationError
from portal.core.ports import queue_email, record
from portal.core.tokens import hash_token, read_signed_token, signed_token
from portal.web.urls import external_url

PURPOSE = "email-change"


def _fingerprint(email: str) -> str:
    """The current address in the token without writing it there (the mail goes elsewhere)."""
    return hash_token(email)[:16]


def _check_free(session: Session, user: User, email: str) -> None:
    if email == user.email:
        raise ValidationError(str(_l("This is already your address.")), field="email")
    if find_user_by_email(session, email) is not None:
        raise ValidationError(str(_l("Another account uses this address.")), field="email")


def request_email_change(session: Session, user: User, new_email: str) -> str:
    """Mail a confirmation link to the new address; nothing changes until it is followed.

    The caller's form has asked for the current password again (accounts/reauth.py).
    """
    email = normalize_email(new_email)
    _check_free(session, user, email)
    lifetime = current_app.config["EMAIL_CHANGE_LIFETIME"]
    expires = int(time.time() + lifetime.total_seconds())
    payload = {"user": user.id, "from": _fingerprint(user.email), "to": email, "until": expires}
    token = signed_token(PURPOSE, payload)
    queue_email(
        session,
        kind="security_email_confirmation",
        template="accounts/email_change",
        subject=_l("Confirm your new email address"),
        recipient=email,
        recipient_user=user,
        language=user.language,
        link=external_url("accounts.confirm_email_change", token=token),
        new_email=email,
    )
    record(session, "email.change_requested", actor=user, object_type="user", object_id=user.id)
    return email


def pending_email_change(user: User, token: str) -> str:
    """The new address the token confirms for this user; NotFound when it no longer can."""
    payload = read_signed_token(PURPOSE, token) or {}
    if (
        payload.get("user") != user.id
        or payload.get("from") != _fingerprint(user.email)
        or not isinstance(payload.get("to"), str)
        or not isinstance(payload.get("until"), int)
        or payload["until"] < time.time()
    ):
        raise NotFound(
            str(_l("This confirmation link has already been used, has expired or is not valid."))
        )
    return payload["to"]


def confirm_email_change(session: Session, user: User, token: str) -> None:
    new_email = pending_email_change(user, token)
    _check_free(session, user, new_email)
    record(
        session,
        "email.changed",
        actor=user,
        object_type="user",
        object_id=user.id,
        before=user.email,
        after=new_email,
    )
    send_security_notice(session, user, SecurityEvent.EMAIL_CHANGED, recipient=user.email)
    user.email = new_email

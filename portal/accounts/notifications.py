"""Security notices: a mail after every change to how a person logs in.

The kinds start with "security_", which makes them mandatory (notifications.categories):
no preference holds them back or sends them to the digest, and they carry no unsubscribe
link. The mail names what changed and when, in the reader's language and zone.
"""

from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.core.db import utcnow
from portal.core.ports import queue_email
from portal.web.urls import external_url


class SecurityEvent(StrEnum):
    PASSWORD_CHANGED = "password_changed"  # noqa: S105  (an event's name, not a password)
    EMAIL_CHANGED = "email_changed"
    TWO_FACTOR_ENABLED = "two_factor_enabled"
    TWO_FACTOR_DISABLED = "two_factor_disabled"
    TWO_FACTOR_RESET = "two_factor_reset"
    RECOVERY_CODES_RENEWED = "recovery_codes_renewed"


WHAT_HAPPENED = {
    SecurityEvent.PASSWORD_CHANGED: _l("The password of your account was changed."),
    SecurityEvent.EMAIL_CHANGED: _l("The email address of your account was changed."),
    SecurityEvent.TWO_FACTOR_ENABLED: _l(
        "Two-step verification was turned on for your account with a new authenticator app."
    ),
    SecurityEvent.TWO_FACTOR_DISABLED: _l("Two-step verification was turned off for your account."),
    SecurityEvent.TWO_FACTOR_RESET: _l(
        "An administrator removed the two-step verification of your account, "
        "as asked when a device is lost."
    ),
    SecurityEvent.RECOVERY_CODES_RENEWED: _l(
        "A new set of recovery codes was made for your account; the previous codes no longer work."
    ),
}


# What the outbox page calls each kind of mail about accounts (invitations come from here
# and from trainings, for external participants).
MAIL_KINDS = {
    "invitation": _l("Invitation to the portal"),
    "password_reset": _l("Password reset link"),
    "security_email_confirmation": _l("Confirmation of a new email address"),
    "security_password_changed": _l("Security notice: password changed"),
    "security_email_changed": _l("Security notice: email address changed"),
    "security_two_factor_enabled": _l("Security notice: two-step verification on"),
    "security_two_factor_disabled": _l("Security notice: two-step verification off"),
    "security_two_factor_reset": _l("Security notice: two-step verification reset"),
    "security_recovery_codes_renewed": _l("Security notice: new recovery codes"),
}


def send_security_notice(
    session: Session, user: User, event: SecurityEvent, *, recipient: str | None = None
) -> None:
    """Queue the notice in the caller's transaction: it goes out only if the change commits.

    `recipient` is for an email change: the notice goes to the address being left, so its
    owner learns of the change.
    """
    queue_email(
        session,
        kind=f"security_{event.value}",
        template="accounts/security_notice",
        subject=_l("Security notice: a change to your account"),
        recipient=recipient or user.email,
        recipient_user=user,
        language=user.language,
        what=WHAT_HAPPENED[event],
        happened_at=utcnow(),
        link=external_url("accounts.profile"),
    )

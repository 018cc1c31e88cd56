"""The password step of a login, throttled: what the login view calls instead of authenticate."""

from sqlalchemy.orm import Session
from werkzeug.exceptions import TooManyRequests

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.accounts.throttle import (
    LoginBlock,
    forget_account_failures,
    login_blocked,
    record_login_failure,
)


def check_password_login(
    session: Session, email: str, password: str, address: str | None
) -> User | None:
    """The user these credentials open, or None (wrong, unknown or locked: one answer).

    Raises TooManyRequests when the address itself is blocked; that says nothing of any account.
    """
    block = login_blocked(account=email, address=address)
    if block is LoginBlock.ADDRESS:
        raise TooManyRequests()
    if block is LoginBlock.ACCOUNT:
        accounts.refuse_locked_login(session, email)
        return None
    user = accounts.authenticate(session, email, password)
    if user is None:
        record_login_failure(account=email, address=address)
    elif not user.has_second_factor:  # with a code to come, only the code's success counts
        forget_account_failures(email)
    return user

"""The password asked again before a change that would hand the account over: its email,
its password, its second factor. Any form adds `current_password_field()`.

Wrong answers count as login failures for the account and the address (accounts/throttle.py),
so a session left open on a shared computer cannot be used to guess the password.
"""

from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import PasswordField
from wtforms.validators import DataRequired, Length, StopValidation

from portal.accounts.passwords import verify_password
from portal.accounts.throttle import login_blocked, record_login_failure


class CurrentPassword:
    """Validator: the field holds the signed-in person's password."""

    def __call__(self, form, field) -> None:
        user = current_user._get_current_object()
        address = request.remote_addr
        if login_blocked(account=user.email, address=address):
            raise StopValidation(
                _l("Too many wrong passwords. Wait 15 minutes before trying again.")
            )
        if not verify_password(user.password_hash, field.data):
            record_login_failure(account=user.email, address=address)
            raise StopValidation(_l("The current password is not correct."))


def current_password_field(label=None) -> PasswordField:
    return PasswordField(
        label or _l("Current password"),
        validators=[
            DataRequired(message=_l("This field is required.")),
            Length(max=1024),
            CurrentPassword(),
        ],
    )

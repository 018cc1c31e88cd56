"""The token form of the profile page, and the words for tokens' scopes and audit events."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from portal.api.models import TokenScope
from portal.api.services import EXPIRY_DAYS
from portal.web.forms import BaseForm, choice_field, options

SCOPE_LABELS = {
    TokenScope.READ: _l("Read only"),
    TokenScope.READ_WRITE: _l("Read and write (create action items, change their status)"),
}

AUDIT_KINDS = {
    "api_token.created": _l("API token created"),
    "api_token.revoked": _l("API token revoked"),
    "api_token.used": _l("API token used (first use of the day)"),
}
AUDIT_OBJECTS = {"api_token": (_l("API token"), None)}


class TokenForm(BaseForm):
    name = StringField(
        _l("Name"),
        validators=[
            InputRequired(_l("Give the token a name.")),
            Length(max=100, message=_l("Use at most 100 characters.")),
        ],
        description=_l("What it is for, e.g. “CSIRT dashboard”."),
    )
    scope = choice_field(
        _l("Scope"), choices=options((scope.value, label) for scope, label in SCOPE_LABELS.items())
    )
    days = choice_field(
        _l("Expires after"),
        coerce=int,
        choices=options((days, _l("%(num)d days", num=days)) for days in EXPIRY_DAYS),
    )

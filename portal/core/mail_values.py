"""Values of a mail for many that are derived when its text is read, not when it is queued.

A mail queued for hundreds of people (portal.notifications.services.queue_emails) keeps one
row of values per person. Some values are made from others at a cost: a reply link signed
for one invitation is an HMAC of its ids. Such a row keeps only what the value is made from
(`Derived(kind, value)`), and whoever reads the mail's text (the outbox worker, the outbox
page, a test) gets the value made by the deriver the feature declared for `kind`
(Feature.mail_values): so the request that queues the mails signs nothing.

A deriver is `derive(secret_key, value) -> str`: the key is the app's SECRET_KEY, read from
the current app, or outside any app context (a script or a test reading a queued mail) the
key of the app created last in the process.
"""

from collections.abc import Callable, Mapping
from typing import NamedTuple

from flask import current_app, has_app_context

Deriver = Callable[[str, str], str]


class Derived(NamedTuple):
    """A value made when the mail is read: `kind` names its deriver, `value` what it is made
    from (stored in JSON as the list [kind, value])."""

    kind: str
    value: str


_DERIVERS: dict[str, Deriver] = {}
_LAST_KEY: list[str] = []


def declare_mail_values(derivers: Mapping[str, Deriver], secret_key: str) -> None:
    """Called once per app created (portal.web.features.init_features)."""
    _DERIVERS.update(derivers)
    _LAST_KEY[:] = [secret_key]


def value_of(stored: object) -> object:
    """A stored personal value as the reader reads it: derived if it says how (a list
    [kind, value]), else as it is."""
    if not isinstance(stored, list | tuple):
        return stored
    kind, value = stored
    if has_app_context():
        key = current_app.config["SECRET_KEY"]
    elif _LAST_KEY:
        key = _LAST_KEY[0]
    else:
        raise RuntimeError("a derived mail value is read before any app was created")
    return _DERIVERS[kind](key, value)

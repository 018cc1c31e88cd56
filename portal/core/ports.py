"""Ports: a service called from below and provided by a feature above (dependency inversion).

accounts is the base feature every other one imports, yet its changes are audited and some of
them send mail; the audit and notifications features import accounts (for User), so accounts
may not import them (the import contracts in pyproject.toml). The error pages of portal/web
audit a denial but may import no feature at all. Both call a port here instead, and the
feature that provides it plugs its function in when it is imported: create_app imports every
feature. Calling a port nothing provides is an error, never a silent no-op, so an audited
change cannot go unrecorded.
"""

from collections.abc import Callable
from typing import Any, TypeVar

Provider = TypeVar("Provider", bound=Callable[..., Any])


class Port:
    """A named function slot: `plug` decorates the provider, calling the port calls it."""

    def __init__(self, name: str, provided_by: str) -> None:
        self.name = name
        self.provided_by = provided_by
        self._provider: Callable[..., Any] | None = None

    def plug(self, provider: Provider) -> Provider:
        self._provider = provider
        return provider

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._provider is None:
            raise RuntimeError(f"{self.name}: import {self.provided_by} (create_app does)")
        return self._provider(*args, **kwargs)


# record(session, action, *, actor=None, object_type=None, object_id=None, **details)
record = Port("record", provided_by="portal.audit.services")

# record_denial(session, *, actor_id, object_type, object_id): an object refused to its reader
record_denial = Port("record_denial", provided_by="portal.audit.services")

# queue_email(session, *, kind, template, subject, recipient, language, recipient_user=None, ...)
queue_email = Port("queue_email", provided_by="portal.notifications.services")

"""Renderings kept in the process (each app its own), for pages or parts of pages that many
readers share. A key must hold every input of its rendering (or a version raised with every
change of them, read before the data: see portal/actions/versions.py).

A session with changes not yet committed renders without them: what it sees may still be
rolled back, and must never be kept for others.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import current_app
from sqlalchemy.orm import Session

SIZE = 512
# session.info key set by listeners that raised a version in the current transaction.
UNCOMMITTED_VERSION = "portal.uncommitted_version"


class Rendered:
    """Oldest out first."""

    def __init__(self, size: int = SIZE) -> None:
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: Hashable, render: Callable[[], object]) -> object:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = render()
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return value


def may_keep(session: Session) -> bool:
    """False while the session holds changes that may still be rolled back."""
    pending = session.new or session.dirty or session.deleted
    return not pending and not session.info.get(UNCOMMITTED_VERSION)


def rendered(session: Session, key: Hashable, render: Callable[[], object]) -> object:
    """The rendering kept under `key` in this app, made now if missing (or not to be kept)."""
    if not may_keep(session):
        return render()
    store = current_app.extensions.setdefault("portal.core.rendered", Rendered())
    return store.get(key, render)

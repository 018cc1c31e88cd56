"""Where kept output lives: rows in the database (pages that must survive restarts) or a
bounded cache in the process (each app its own).

A process store's key holds every input of its rendering (or a version of them, read before
the data: see versions.py). A database row carries the version and the layout (templates
and catalogues) it was made with, and is served only while both are current.
"""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import cache
from pathlib import Path
from typing import TypeVar

from flask import current_app
from sqlalchemy import String, Text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.core.kept.versions import UNCOMMITTED_VERSION

Value = TypeVar("Value")


def may_keep(session: Session) -> bool:
    """False while the session holds changes that may still be rolled back: what it renders
    may show them, and must never be kept for others."""
    pending = session.new or session.dirty or session.deleted
    return not pending and not session.info.get(UNCOMMITTED_VERSION)


class _Entries:
    """Oldest out first."""

    def __init__(self, size: int) -> None:
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def find(self, key: Hashable):
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        return None

    def get_many(self, keys: list, render: Callable[[list], dict]) -> dict:
        with self._lock:
            found = {key: self._entries[key] for key in keys if key in self._entries}
            for key in found:
                self._entries.move_to_end(key)
        missing = [key for key in keys if key not in found]
        if missing:
            made = render(missing)
            with self._lock:
                self._entries.update(made)
                while len(self._entries) > self._size:
                    self._entries.popitem(last=False)
            found.update(made)
        return found

    def get(self, key: Hashable, render: Callable[[], Value]) -> Value:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]  # type: ignore[return-value]
        value = render()
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return value


class ProcessStore:
    """Renderings kept in the process, per app, at most `size` of them (oldest out first)."""

    def __init__(self, name: str, size: int = 512) -> None:
        self.name = f"portal.core.kept:{name}"
        self.size = size

    def get(self, session: Session, key: Hashable, render: Callable[[], Value]) -> Value:
        """The rendering kept under `key`, made now if missing (or not to be kept)."""
        if not may_keep(session):
            return render()
        entries = current_app.extensions.get(self.name)
        if entries is None:
            entries = current_app.extensions.setdefault(self.name, _Entries(self.size))
        return entries.get(key, render)

    def get_counted(
        self, session: Session, counter: int | None, key: tuple, render: Callable[[], Value]
    ) -> Value:
        """The rendering kept under a generation's `counter` and `key`, made now if missing;
        made each time without a counter (its row is missing: nothing raises it)."""
        if counter is None:
            return render()
        return self.get(session, (counter, *key), render)

    def get_many(self, session: Session, keys: list, render: Callable[[list], dict]) -> dict:
        """The renderings kept under each of `keys`, those missing made at once by
        `render(missing keys)` (a dict by key): for a list of items kept one by one."""
        if not may_keep(session):
            return render(list(keys))
        entries = current_app.extensions.get(self.name)
        if entries is None:
            entries = current_app.extensions.setdefault(self.name, _Entries(self.size))
        return entries.get_many(keys, render)

    def kept(self, session: Session, key: Hashable):
        """The rendering kept under `key`, or None: for a page that reads less to find one
        than to make one (and then keys what it made by what it read for that)."""
        entries = current_app.extensions.get(self.name)
        if entries is None or not may_keep(session):
            return None
        return entries.find(key)


class StoredPage:
    """The columns of a page stored in one language, rendered once for all its readers; a
    feature's model adds the key of what the page is of (its first primary key column)."""

    language: Mapped[str] = mapped_column(String(5), primary_key=True)
    version: Mapped[int]
    # The templates and catalogues it was made with (layout_of): a deployment that changes
    # them makes every stored page stale.
    layout: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    html: Mapped[str] = mapped_column(Text)


class DatabaseStore:
    """Renderings kept as rows of `model`, one per `key_columns`, each with the `version` and
    `layout` it was made with. Features read them within their own query (a join), and ask
    `is_current` before serving one."""

    def __init__(self, model: type, key_columns: tuple[str, ...]) -> None:
        self.table = model.__table__
        self.key_columns = list(key_columns)

    @staticmethod
    def is_current(kept_version, kept_layout, version: int, layout: str) -> bool:
        return kept_version == version and kept_layout == layout

    def keep(self, session: Session, key: dict, *, version: int, layout: str, **values) -> None:
        """Keep a rendering made from data read after `version` was, replacing the row kept
        under `key` (a plain statement: no ORM flush)."""
        kept = {"version": version, "layout": layout, **values}
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        statement = dialect.insert(self.table).values({**key, **kept})
        statement = statement.on_conflict_do_update(index_elements=self.key_columns, set_=kept)
        session.connection().execute(statement)


@cache
def layout_of(templates: tuple[str, ...]) -> str:
    """A fingerprint of these templates and of the catalogues: a deployment that changes
    them makes the rows kept with the older ones stale."""
    environment = current_app.jinja_env
    digest = hashlib.sha256()
    for name in templates:
        source, _, _ = environment.loader.get_source(environment, name)
        digest.update(source.encode())
    for catalogue in sorted(Path(current_app.root_path, "translations").glob("*/*/*.mo")):
        digest.update(catalogue.read_bytes())
    return digest.hexdigest()[:16]

"""Kept output: renderings made once and served to many readers (see ARCHITECTURE.md).

- versions: a feature declares which changes raise which version (`declare`, `Raises`);
  one listener raises them after each flush, `bulk_written` for writes past the ORM.
- stores: `ProcessStore` (a bounded cache per app, keyed by versions and every other input)
  and `DatabaseStore` (rows that survive restarts, served while version and layout match);
  nothing is kept from a session with uncommitted changes (`may_keep`).
- generations: one counter for output spanning too many rows to version each (a reader's
  dashboard), raised by the changes a feature declares (`KeptGeneration`, `generation`).
- slots: what differs per reader is left as slots and filled per request (`Slots`).
"""

from portal.core.kept.generations import KeptGeneration, counter_statement, generation
from portal.core.kept.slots import HTML_SLOTS, Slots
from portal.core.kept.stores import (
    DatabaseStore,
    ProcessStore,
    StoredPage,
    layout_of,
    may_keep,
)
from portal.core.kept.versions import Raises, Version, bulk_written, declare, old_and_new

__all__ = [
    "HTML_SLOTS",
    "DatabaseStore",
    "KeptGeneration",
    "ProcessStore",
    "Raises",
    "Slots",
    "StoredPage",
    "Version",
    "bulk_written",
    "counter_statement",
    "declare",
    "generation",
    "layout_of",
    "may_keep",
    "old_and_new",
]

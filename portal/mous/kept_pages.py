"""The MoU's and the working group's pages kept whole for each reader: content and panels;
the group's meetings list, the month calendar and the trainings list too
(portal/meetings/views.py, calendar_views.py, portal/trainings/views.py).

A page spans its own rows and every panel's (meetings, polls, action items, documents,
trainings, commitments, contacts), too many to name their versions, so each reader's page is
kept under one counter (`kept_generations`, row NAME) that every change either page shows
raises in the same transaction (portal/main/kept_pages.py declares which, above the
features), the minute (what is upcoming, open or overdue) and everything of the reader the
statements read (id, role, party, address, language, zone). The counter is read first, in
one short statement, so a page made from data that changed meanwhile carries the older
counter and is never served again. Without the counter's row nothing is kept.
"""

from collections.abc import Callable, Hashable

from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.core.db import utcnow
from portal.core.i18n import current_language, select_timezone
from portal.core.kept import ProcessStore, counter_statement

NAME = "mou-pages"
# A page is some 10-40 KB: at most some 40 MB in a process.
PAGES = ProcessStore("mou-group-pages", size=1024)


def reader_key(
    session: Session, reader: User, page: str, object_id: Hashable, *, timely: bool = True
) -> Hashable | None:
    """The key of `reader`'s page `page` of `object_id` (an id, or an id with the page's
    arguments) (None: nothing may be kept). A page that shows nothing that changes with the
    time (`timely` False: the month calendar, whose day is in its `object_id`) is not made
    anew each minute."""
    generation = session.scalar(counter_statement(NAME))
    if generation is None:
        return None
    minute = utcnow().replace(second=0, microsecond=0) if timely else None
    return (
        page,
        object_id,
        generation,
        minute,
        reader.id,
        reader.role,
        reader.party_id,
        reader.email,
        current_language(),
        select_timezone(),
    )


def kept_page(session: Session, key: Hashable | None):
    """The page kept under `key`, or None."""
    return None if key is None else PAGES.kept(session, key)


def keep_page(session: Session, key: Hashable | None, make: Callable):
    """The page made now, kept under `key` (if any)."""
    return make() if key is None else PAGES.get(session, key, make)


def filled_slot(parts: list[str], name: str, value: str) -> list[str]:
    """Parts (text and slot names, alternating: HTML_SLOTS.split) with the slot `name` filled
    by `value` (Markup, as it is) and the other slots left for later."""
    filled = [parts[0]]
    for index in range(1, len(parts), 2):
        if parts[index] == name:
            filled[-1] += str(value) + parts[index + 1]
        else:
            filled += [parts[index], parts[index + 1]]
    return filled

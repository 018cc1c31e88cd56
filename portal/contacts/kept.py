"""An MoU's list of points of contact, each page of it kept under a generation counter.

Every reader who may open the list (contacts.access: a delegation of one of the MoU's parties,
or an administrator) sees the same rows, so a page of them is kept once per MoU, party
filter, page, language and zone, under the counter `kept_generations` row NAME, which every
change of a contact or of a party's name raises as the transaction commits. Office hours are
those of the current week and a contact unverified for a year is marked: both are drawn for
an instant rounded down to a quarter of an hour (every zone's midnight falls on one), which is
part of the key. The counter is read before the rows: rows kept from data that changed
meanwhile carry the older counter and are never served again.
"""

from collections.abc import Callable, Hashable
from datetime import datetime
from functools import cache

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from portal.accounts.models import Party
from portal.contacts.models import PointOfContact
from portal.core.db import utcnow
from portal.core.kept import KeptGeneration, ProcessStore, Raises, declare, generation

NAME = "contacts"
PAGES = ProcessStore("contact-lists", size=1024)

GENERATION = declare(
    KeptGeneration.generation,
    Raises(PointOfContact, stale=generation(NAME)),
    Raises(Party, stale=generation(NAME), fields=("code", "name_en", "name_es")),
    at_commit=True,
)


@cache
def _generation_statement() -> Select:
    return select(KeptGeneration.generation).where(KeptGeneration.name == NAME)


def drawn_at() -> datetime:
    """The instant a kept page's hours and marks are drawn for: now, to the quarter hour."""
    now = utcnow()
    return now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)


def kept_rows(session: Session, key: Hashable, render: Callable[[], str]) -> str:
    """The rows kept under the counter and `key`, made now if missing (or without a counter,
    when nothing is kept)."""
    counter = session.scalar(_generation_statement())
    if counter is None:
        return render()
    return PAGES.get(session, (counter, *key), render)

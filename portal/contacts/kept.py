"""An MoU's list of points of contact, each page of it kept whole under a generation counter.

Every reader who may open the list (contacts.access: a delegation of one of the MoU's parties,
or an administrator) sees the same rows; which "Add a contact" links they get follows from
their role and party. So a page is kept once per MoU, party filter, page, language, zone and
reader's role and party, under the counter `kept_generations` row NAME, which every change of
a contact, of the MoU (its title, its parties) or of a party's name raises as the transaction
commits. Office hours are those of the current week and a contact unverified for a year is
marked: both are drawn for an instant rounded down to a quarter of an hour (every zone's
midnight falls on one), which is part of the key. The counter is read first, with whether the
MoU exists and the reader may open its list (list_facts): a page kept from data that changed
meanwhile carries the older counter and is never served again.
"""

from datetime import datetime
from functools import cache

from sqlalchemy import Row, Select, bindparam, select
from sqlalchemy.orm import Session

from portal.accounts.models import Party, Role
from portal.contacts import access
from portal.contacts.models import PointOfContact
from portal.core.access import role_clause, viewer_parameters
from portal.core.db import utcnow
from portal.core.kept import (
    KeptGeneration,
    ProcessStore,
    Raises,
    counter_statement,
    declare,
    generation,
)
from portal.mous.models import Mou

NAME = "contacts"
PAGES = ProcessStore("contact-lists", size=1024)

GENERATION = declare(
    KeptGeneration.generation,
    Raises((PointOfContact, Mou), stale=generation(NAME)),
    Raises(Party, stale=generation(NAME), fields=("code", "name_en", "name_es")),
    at_commit=True,
)


def drawn_at() -> datetime:
    """The instant a kept page's hours and marks are drawn for: now, to the quarter hour."""
    now = utcnow()
    return now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)


def list_facts(session: Session, reader, mou_id: int) -> Row | None:
    """Whether the reader may open the MoU's list ("reads") and the counter ("generation"),
    in one statement; None when there is no such MoU."""
    parameters = {"mou_id": mou_id, **viewer_parameters(reader)}
    return session.execute(_facts_statement(reader.role), parameters).first()


@cache
def _facts_statement(role: Role) -> Select:
    return select(
        role_clause(access.contacts_readers_clause, role).label("reads"),
        counter_statement(NAME).scalar_subquery().label("generation"),
    ).where(Mou.id == bindparam("mou_id"))

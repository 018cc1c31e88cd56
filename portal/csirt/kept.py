"""The CSIRT bulletin list, each reader's pages kept under a generation counter.

What a reader's page shows (the MoUs they may publish under, the filters' choices, a page of
the bulletins they may open, the pager) follows from their rights and the request: it is kept
per reader (id, role, party), language, zone and query string under the counter
`kept_generations` row NAME. Every change that could change such a page raises it as the
transaction commits: a bulletin written, changed or deleted (its readers named with it), an
answer given, a CSIRT member marked or unmarked, an MoU renamed or its parties changed, a
party renamed. The counter is read before the rows: a page kept from data that changed
meanwhile carries the older counter and is never served again.
"""

from collections.abc import Callable, Hashable

from sqlalchemy.orm import Session

from portal.accounts.models import Party
from portal.core.kept import (
    KeptGeneration,
    ProcessStore,
    Raises,
    counter_statement,
    declare,
    generation,
)
from portal.csirt.models import Acknowledgement, Bulletin, CsirtMember
from portal.mous.models import Mou

NAME = "bulletins"
LISTS = ProcessStore("csirt-bulletin-lists", size=1024)

GENERATION = declare(
    KeptGeneration.generation,
    # A bulletin's named readers change through its collection: a change of the bulletin.
    Raises((Bulletin, Acknowledgement, CsirtMember), stale=generation(NAME)),
    Raises(Mou, stale=generation(NAME), fields=("title_en", "title_es", "parties")),
    Raises(Party, stale=generation(NAME), fields=("code", "name_en", "name_es")),
    at_commit=True,
)


def kept_list(session: Session, key: Hashable, render: Callable[[], tuple]) -> tuple:
    """The page kept under the counter and `key` (body and status), made now if missing (or
    without a counter, when nothing is kept)."""
    counter = session.scalar(counter_statement(NAME))
    return LISTS.get_counted(session, counter, key, render)

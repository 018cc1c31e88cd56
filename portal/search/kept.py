"""The search page kept whole for each reader and query, under a generation counter.

A page's hits span every kind the search finds and the rules that let a reader open them,
too many rows to name their versions, so each reader's page is kept under one counter
(`kept_generations`, row NAME) that every change of a model the page reads raises as the
transaction commits (GENERATION, below; association tables change through their parents'
collections: a document's readers, an action item's owners), with the query as asked (its
text, as the box and the links show it, and its words), the kind, the page number and
everything of the reader the statements and the rendering read (id, role, party, address,
language, zone). The counter is read first, in one short statement, so a page made from data
that changed meanwhile carries the older counter and is never served again. Without the
counter's row nothing is kept. The page holds no form token (its form is a GET).
"""

from collections.abc import Callable, Hashable

from flask_login import current_user
from sqlalchemy.orm import Session

from portal.accounts.models import Party, User
from portal.actions.models import ActionItem
from portal.core.i18n import current_language, select_timezone
from portal.core.kept import (
    KeptGeneration,
    ProcessStore,
    Raises,
    counter_statement,
    declare,
    generation,
)
from portal.core.search import SearchQuery
from portal.csirt.models import Bulletin, CsirtMember
from portal.documents.models import Document
from portal.meetings.models import AgendaItem, Invitee, Meeting, Minutes
from portal.mous.models import Membership, Mou, WorkingGroup
from portal.trainings.models import Training

NAME = "search"
# A page's content is some 5-15 KB: at most some 15 MB in a process.
PAGES = ProcessStore("search-pages", size=1024)

# Every model whose rows the search reads (tests/search/test_search_kept.py checks the
# statements against this list; an MoU's parties change through its collection). The reader's
# own row is part of the key as well. What a login writes is on no page, nor an invitation's
# reply: the search reads only who is invited (a reply would make every page anew).
GENERATION = declare(
    KeptGeneration.generation,
    Raises(
        (
            Document,
            Meeting,
            AgendaItem,
            Minutes,
            ActionItem,
            Training,
            Bulletin,
            CsirtMember,
            Mou,
            WorkingGroup,
            Membership,
            Party,
        ),
        stale=generation(NAME),
    ),
    Raises(
        Invitee,
        stale=generation(NAME),
        unshown=("reply", "comment", "replied_at", "reconfirm", "attendance"),
    ),
    Raises(
        User, stale=generation(NAME), unshown=("last_login_at", "password_hash", "totp_last_step")
    ),
    at_commit=True,
)


def reader_key(
    session: Session, text: str, query: SearchQuery, kind: str, page: int
) -> Hashable | None:
    """The key of the current reader's page of this query (None: nothing may be kept)."""
    counter = session.scalar(counter_statement(NAME))
    if counter is None:
        return None
    reader = current_user
    return (
        counter,
        text,
        query.words,
        kind,
        page,
        reader.id,
        reader.role,
        reader.party_id,
        reader.email,  # an external reader's trainings are those their address is invited to
        current_language(),
        select_timezone(),
    )


def kept_content(session: Session, key: Hashable | None, make: Callable[[], str]) -> str:
    """The page's content kept under `key`, made now if missing (or with no key)."""
    return make() if key is None else PAGES.get(session, key, make)

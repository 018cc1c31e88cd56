"""What the search page finds of CSIRT bulletins: their titles, bodies and indicators, through
the bulletin list's TLP rule in SQL (portal/csirt/access.py); terms kept by its models."""

from functools import cache

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import Role, User
from portal.core.access import ParametricViewer, viewer_parameters
from portal.core.search import SearchQuery
from portal.core.search_match import newest_matches
from portal.csirt.access import visible_bulletins_clause
from portal.csirt.models import Bulletin
from portal.web.sources import SearchHit, SearchSource

EXCERPT = 2_000


@cache
def _readable(role: Role):
    """The bulletins a reader of the role may open, built once per role (the reader's id and
    party are bound: viewer_parameters): building it per search cost more than running it."""
    return visible_bulletins_clause(ParametricViewer(role))


def bulletin_hits(session: Session, reader: User, query: SearchQuery, limit: int) -> list:
    statement = newest_matches(
        session,
        select(Bulletin),
        "csirt_bulletin",
        Bulletin.id,
        query,
        _readable(reader.role),
        (Bulletin.created_at, Bulletin.id),
        limit,
    )
    return [
        SearchHit(
            kind="csirt_bulletin",
            title=bulletin.title,
            url=url_for("csirt.bulletin", bulletin_id=bulletin.id),
            when=bulletin.created_at,
            excerpt=bulletin.body_md[:EXCERPT],
        )
        for bulletin in session.scalars(statement, viewer_parameters(reader))
    ]


SEARCH_SOURCES = (SearchSource("csirt_bulletin", _l("CSIRT bulletin"), bulletin_hits, order=70),)

"""What the search page finds of CSIRT bulletins: their titles, bodies and indicators, through
the bulletin list's TLP rule in SQL (portal/csirt/access.py); terms kept by its models."""

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.core.access import role_clause, viewer_parameters
from portal.core.search import SearchQuery
from portal.core.search_match import newest_matches
from portal.csirt.access import visible_bulletins_clause
from portal.csirt.models import Bulletin
from portal.web.sources import SearchHit, SearchSource

EXCERPT = 2_000


def bulletin_hits(session: Session, reader: User, query: SearchQuery, limit: int) -> list:
    statement, parameters = newest_matches(
        session,
        # The columns a hit shows and the start of the body, not the whole row (the HTML).
        lambda: select(
            Bulletin.id,
            Bulletin.title,
            Bulletin.created_at,
            func.substr(Bulletin.body_md, 1, EXCERPT).label("excerpt"),
        ),
        "csirt_bulletin",
        Bulletin.id,
        query,
        role_clause(visible_bulletins_clause, reader.role),
        (Bulletin.created_at, Bulletin.id),
        limit,
        parameters=viewer_parameters(reader),
        key=reader.role,
    )
    return [
        SearchHit(
            kind="csirt_bulletin",
            title=bulletin.title,
            url=url_for("csirt.bulletin", bulletin_id=bulletin.id),
            when=bulletin.created_at,
            excerpt=bulletin.excerpt,
        )
        for bulletin in session.execute(statement, parameters)
    ]


SEARCH_SOURCES = (SearchSource("csirt_bulletin", _l("CSIRT bulletin"), bulletin_hits, order=70),)

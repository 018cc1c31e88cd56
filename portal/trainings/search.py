"""What the search page finds of trainings: titles, descriptions, trainers and venue, through
the trainings' access rule in SQL (portal/trainings/access.py); terms kept by its models."""

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.core.access import role_clause, viewer_parameters
from portal.core.bilingual import text_in
from portal.core.i18n import current_language
from portal.core.search import SearchQuery
from portal.core.search_match import newest_matches
from portal.mous.models import WorkingGroup
from portal.trainings.access import is_external_participant, visible_trainings_clause
from portal.trainings.models import Training
from portal.web.sources import SearchHit, SearchSource, group_columns, hit_group

EXCERPT = 2_000


def _shown():
    """The columns a hit shows, not the HTML nor the registration's, as plain rows, with the
    training's working group."""
    return select(
        Training.id,
        Training.title_en,
        Training.title_es,
        Training.description_md_en,
        Training.description_md_es,
        Training.starts_at,
        *group_columns(WorkingGroup),
    ).outerjoin(WorkingGroup, WorkingGroup.id == Training.working_group_id)


def training_hits(session: Session, reader: User, query: SearchQuery, limit: int) -> list:
    if is_external_participant(reader):
        # Their invitations are matched by their address: a rule of this reader alone.
        visible, key = visible_trainings_clause(reader), None
    else:
        visible, key = role_clause(visible_trainings_clause, reader.role), reader.role
    statement, parameters = newest_matches(
        session,
        _shown,
        "training",
        Training.id,
        query,
        visible,
        (Training.starts_at, Training.id),
        limit,
        parameters=viewer_parameters(reader),
        key=key,
    )
    return [
        SearchHit(
            kind="training",
            title=text_in(training, "title", language),
            url=url_for("trainings.detail", training_id=training.id),
            when=training.starts_at,
            group=hit_group(training),
            excerpt=text_in(training, "description_md", language)[:EXCERPT],
        )
        for language in [current_language()]  # the reader's, asked once
        for training in session.execute(statement, parameters)
    ]


SEARCH_SOURCES = (SearchSource("training", _l("Training"), training_hits, order=60),)

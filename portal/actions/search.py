"""What the search page finds of action items: their titles and descriptions, through the
action list's access rule in SQL (portal/actions/access.py); terms kept by its models."""

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.actions.access import actions_search_scope, visible_actions_clause
from portal.actions.models import ActionItem
from portal.core.access import role_clause, viewer_parameters
from portal.core.bilingual import hit_texts
from portal.core.i18n import current_language
from portal.core.search import SearchQuery
from portal.core.search_match import newest_matches, scoped_matches
from portal.mous.models import WorkingGroup
from portal.web.sources import SearchHit, SearchSource, group_columns, hit_group

EXCERPT = 2_000


def _shown() -> Select:
    """The columns a hit shows, not the HTML nor the workflow's, as plain rows (a page shows
    20 of the rows the kinds give), with the item's working group."""
    return select(
        ActionItem.id,
        ActionItem.title_en,
        ActionItem.title_es,
        ActionItem.description_md_en,
        ActionItem.description_md_es,
        ActionItem.due_on,
        *group_columns(WorkingGroup),
    ).outerjoin(WorkingGroup, WorkingGroup.id == ActionItem.working_group_id)


def action_hits(session: Session, reader: User, query: SearchQuery, limit: int) -> list:
    visible = role_clause(visible_actions_clause, reader.role)
    scope = role_clause(actions_search_scope, reader.role)
    statement, parameters = newest_matches(
        session,
        _shown,
        "action_item",
        ActionItem.id,
        query,
        visible,
        (ActionItem.due_on, ActionItem.id),
        limit,
        scope=scope,
        parameters=viewer_parameters(reader),
        key=reader.role,
    )
    return [
        SearchHit(
            kind="action_item",
            title=title,
            url=url_for("actions.detail", item_id=item.id),
            when=item.due_on,
            group=hit_group(item),
            excerpt=excerpt[:EXCERPT],
            language=language,
        )
        for reader_language in [current_language()]  # asked once
        for item in session.execute(statement, parameters)
        for title, language, excerpt in [hit_texts(item, reader_language, text="description_md")]
    ]


def matching_actions(query: SearchQuery, role) -> Select:
    """The action items matching the query within the tokens of a reader of `role`, counted
    with the other kinds' matches (portal.core.search_match.count_common)."""
    return scoped_matches("action_item", query, role_clause(actions_search_scope, role))


SEARCH_SOURCES = (
    SearchSource("action_item", _l("Action item"), action_hits, order=50, counted=matching_actions),
)

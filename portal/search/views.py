"""The search page: one box, a kind to narrow it to, one page of hits at a time."""

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from portal.core.errors import ValidationError
from portal.core.extensions import db
from portal.core.search import MAX_QUERY_CHARACTERS, SearchQuery
from portal.search import bp
from portal.search.queries import search_everything
from portal.web.features import search_sources
from portal.web.forms import page_number
from portal.web.pagination import DEFAULT_PAGE_SIZE


@bp.route("/search")
def search():
    sources = search_sources(current_app)
    text = request.args.get("q", "")
    kind = request.args.get("kind", "")
    error = None
    results = None
    try:
        query = SearchQuery.parse(text)
    except ValidationError as refused:
        query, error = None, str(refused)
    if query is not None and kind and kind not in {source.kind for source in sources}:
        error = _("Choose a kind from the list.")
    if query is not None and error is None:
        chosen = [source for source in sources if not kind or source.kind == kind]
        per_page = current_app.config.get("PAGE_SIZE", DEFAULT_PAGE_SIZE)
        results = search_everything(
            db.session, current_user, chosen, query, page_number(request.args), per_page
        )
    return render_template(
        "search/search.html",
        text=text[: MAX_QUERY_CHARACTERS * 2],
        kind=kind,
        kinds=[(source.kind, source.label) for source in sources],
        error=error,
        results=results,
        max_characters=MAX_QUERY_CHARACTERS,
    ), (400 if error else 200)

"""The search page: one box, a kind to narrow it to, one page of hits at a time. A page of
hits is kept for the reader (portal/search/kept.py); a refused query never is."""

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from portal.core.errors import ValidationError
from portal.core.extensions import db
from portal.core.search import MAX_QUERY_CHARACTERS, SearchQuery
from portal.search import bp
from portal.search.kept import kept_content, reader_key
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
    try:
        query = SearchQuery.parse(text)
    except ValidationError as refused:
        query, error = None, str(refused)
    if query is not None and kind and kind not in {source.kind for source in sources}:
        error = _("Choose a kind from the list.")
    shown = text[: MAX_QUERY_CHARACTERS * 2]

    def content(results=None) -> str:
        return render_template(
            "search/_search.html",
            text=shown,
            kind=kind,
            kinds=[(source.kind, source.label) for source in sources],
            error=error,
            results=results,
            max_characters=MAX_QUERY_CHARACTERS,
        )

    if query is None or error is not None:
        return render_template("search/search.html", content=Markup(content())), 400  # noqa: S704 - a rendered template  # nosec B704

    page = page_number(request.args)

    def found() -> str:
        chosen = [source for source in sources if not kind or source.kind == kind]
        per_page = current_app.config.get("PAGE_SIZE", DEFAULT_PAGE_SIZE)
        return content(search_everything(db.session, current_user, chosen, query, page, per_page))

    key = reader_key(db.session, shown, query, kind, page) if query.words else None
    made = kept_content(db.session, key, found)
    return render_template("search/search.html", content=Markup(made))  # noqa: S704 - a rendered template  # nosec B704

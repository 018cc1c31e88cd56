"""Bootstrap's stylesheet and script tags, written once per app and application root.

Every page's layout asks for them, and Bootstrap-Flask builds each from `url_for` and its
settings on every call; they depend on nothing else of the request.
"""

from collections.abc import Callable

from flask import current_app, request
from markupsafe import Markup

from portal.core.extensions import bootstrap

ASSET_TAGS = "portal.asset_tags"  # app.extensions key


def bootstrap_css() -> Markup:
    return _written_once("css", bootstrap.load_css)


def bootstrap_js() -> Markup:
    return _written_once("js", bootstrap.load_js)


def _written_once(kind: str, write: Callable[[], Markup]) -> Markup:
    tags = current_app.extensions.setdefault(ASSET_TAGS, {})
    key = (kind, request.script_root)  # the URLs start with the application's root
    found = tags.get(key)
    if found is None:
        found = tags[key] = write()
    return found


def register_asset_tags(app) -> None:
    app.jinja_env.globals["bootstrap_css"] = bootstrap_css
    app.jinja_env.globals["bootstrap_js"] = bootstrap_js

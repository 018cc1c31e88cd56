"""Search over everything the reader may open: one box, the kinds every feature declares
(`search_sources` in portal/web/features.py), each through its own access rules."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal.web.features import Feature, NavEntry

bp = Blueprint("search", __name__)


def declare() -> Feature:
    """What search adds to the portal (portal.web.features says why a function)."""
    from portal.accounts import audiences

    return Feature(
        name="search",
        blueprints=(bp,),
        view_modules=("portal.search.views",),
        navigation=(
            NavEntry(
                "search.search", _l("Search"), order=70, visible_to=audiences.delegation_members
            ),
        ),
    )

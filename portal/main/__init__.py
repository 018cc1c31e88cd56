"""The dashboard, the language switcher and the health check."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal.web.features import Feature, NavEntry

bp = Blueprint("main", __name__)


def declare() -> Feature:
    """What main adds to the portal (portal.web.features says why a function)."""
    return Feature(
        name="main",
        blueprints=(bp,),
        view_modules=("portal.main.views",),
        navigation=(NavEntry("main.index", _l("Dashboard"), order=10),),
        public_endpoints=frozenset({"main.healthz", "main.set_language_choice"}),
        external_endpoints=frozenset(
            {
                "main.index",  # sends them on to their trainings
                "main.set_language_choice",
            }
        ),
    )

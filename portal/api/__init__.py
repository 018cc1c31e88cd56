"""The JSON API under /api/v1/ and the personal access tokens that open it.

A top-layer package beside main and search: it reads and changes through the features'
queries, services and access rules, and adds no permission rule of its own about objects.
"""

from flask import Blueprint
from flask_smorest import Blueprint as ApiBlueprint

from portal.web.features import Feature

bp = ApiBlueprint(
    "api", __name__, url_prefix="/api/v1", description="MoUs, groups, meetings, action items"
)
tokens_bp = Blueprint("api_tokens", __name__)


def _set_up(state) -> None:
    """Once per app: the rate limiter's store, and problem details for every error under /api/."""
    from portal.api.auth import init_rate_limiter
    from portal.api.problems import problem
    from portal.web.error_handlers import ERROR_FORMATS

    init_rate_limiter(state.app)
    state.app.extensions.setdefault(ERROR_FORMATS, {})["/api/"] = problem


bp.record_once(_set_up)


def declare() -> Feature:
    """What the API adds to the portal (portal.web.features says why a function)."""
    from portal.api.auth import authenticate_api_request
    from portal.api.forms import AUDIT_KINDS, AUDIT_OBJECTS
    from portal.core.extensions import csrf

    csrf.exempt(bp)  # a bearer token in a header: no cookie, so no cross-site forgery
    return Feature(
        name="api",
        blueprints=(bp, tokens_bp),
        view_modules=("portal.api.views", "portal.api.token_views"),
        # Public to the login gate: the API's own gate (portal.api.auth) asks for a token.
        public_endpoints=frozenset(
            f"api.{name}"
            for name in (
                "openapi",
                "documentation",
                "mous",
                "mou",
                "commitments",
                "commitment",
                "working_groups",
                "working_group",
                "meetings",
                "meeting",
                "action_items",
                "create_action_item",
                "action_item",
                "action_item_status",
                "documents",
                "document",
                "trainings",
                "training",
            )
        ),
        audit_kinds=AUDIT_KINDS,
        audit_objects=AUDIT_OBJECTS,
        before_request=(authenticate_api_request,),
    )

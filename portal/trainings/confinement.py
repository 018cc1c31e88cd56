"""External participants stay within their trainings (portal.trainings.access.external_may_open)."""

from flask import current_app, redirect, request, url_for
from flask_login import current_user

from portal.core.errors import Denied
from portal.trainings import access
from portal.web.features import external_endpoints
from portal.web.public import is_public_endpoint


def confine_external_participants():
    """before_request hook: an external participant's request outside their trainings and
    their own account answers 404 (and is audited as a denial); the dashboard is their
    trainings."""
    if not access.is_external_participant(current_user) or is_public_endpoint(request.endpoint):
        return None
    if request.endpoint == "main.index":
        return redirect(url_for("trainings.training_list"))
    if not access.external_may_open(request.endpoint, external_endpoints(current_app)):
        raise Denied("page", request.path[:64])
    return None

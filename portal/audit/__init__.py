"""The audit log: who did what, read by coordinators and administrators."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal.web.features import Feature, NavEntry

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")


def declare() -> Feature:
    """What audit adds to the portal (portal.web.features says why a function)."""
    from portal.accounts import ADMINISTRATION, audiences

    return Feature(
        name="audit",
        blueprints=(bp,),
        view_modules=("portal.audit.views",),
        navigation=(
            NavEntry(
                "audit.events",
                _l("Audit log"),
                order=30,
                visible_to=audiences.coordinators_and_administrators,
                menu=ADMINISTRATION,
            ),
        ),
    )

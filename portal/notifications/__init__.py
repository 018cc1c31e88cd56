"""Mail: the outbox and its worker, each person's choices per category, daily digests."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal.web.features import DemoSeeder, Feature, NavEntry

bp = Blueprint("notifications", __name__)


def declare() -> Feature:
    """What notifications adds to the portal (portal.web.features says why a function)."""
    from portal.accounts import ADMINISTRATION, audiences
    from portal.notifications.attention import ATTENTION
    from portal.notifications.commands import outbox_cli
    from portal.notifications.demo import seed_demo_preferences

    return Feature(
        name="notifications",
        blueprints=(bp,),
        view_modules=("portal.notifications.views",),
        commands=(outbox_cli,),
        mail_kinds={"digest": _l("Daily summary")},
        navigation=(
            NavEntry(
                "notifications.outbox",
                _l("Outbox"),
                order=40,
                visible_to=audiences.administrators,
                menu=ADMINISTRATION,
            ),
        ),
        attention=ATTENTION,
        public_endpoints=frozenset(
            {
                "notifications.unsubscribe"
            }  # RFC 8058: the signed token names one person and category
        ),
        external_endpoints=frozenset({"notifications.preferences"}),
        demo=DemoSeeder(
            order=50, seed=lambda session, demo: seed_demo_preferences(session, demo.users)
        ),
    )

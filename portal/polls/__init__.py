"""Meeting time polls: propose two to six times to a working group, pick the one that suits."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal.web.features import DemoSeeder, Feature, MailCategory, PagePanel

bp = Blueprint("polls", __name__)


def declare() -> Feature:
    """What polls adds to the portal (portal.web.features says why a function)."""
    from portal.polls import versions  # noqa: F401 - declares what raises its page's version
    from portal.polls.access import MAIL_READERSHIP, can_manage_polls
    from portal.polls.attention import ATTENTION
    from portal.polls.demo import seed_demo_polls
    from portal.polls.forms import AUDIT_KINDS, AUDIT_OBJECTS
    from portal.polls.notifications import MAIL_KINDS
    from portal.polls.queries import open_group_polls

    def group_polls_panel(session, reader, group, polls) -> dict:
        can_propose = can_manage_polls(reader, group)
        return {"polls": polls, "can_propose": can_propose, "kept": (polls, can_propose)}

    return Feature(
        name="polls",
        mail_subjects=MAIL_READERSHIP,
        mail_kinds=MAIL_KINDS,
        audit_kinds=AUDIT_KINDS,
        audit_objects=AUDIT_OBJECTS,
        blueprints=(bp,),
        group_panels=(
            PagePanel(
                "polls/_group_panel.html", group_polls_panel, order=15, read=open_group_polls
            ),
        ),
        view_modules=("portal.polls.views",),
        mail_categories=(MailCategory("polls", _l("Meeting time polls"), ("poll_",)),),
        attention=ATTENTION,
        public_endpoints=frozenset(
            {
                # The signed token names one person asked and one poll, and can only answer it.
                "polls.answer_by_link",
            }
        ),
        demo=DemoSeeder(order=35, seed=lambda session, demo: seed_demo_polls(session, demo.users)),
    )

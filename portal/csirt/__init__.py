"""CSIRT information exchange: each party's CSIRT, TLP-labelled bulletins with indicators and
attachments, acknowledgements, reminders for unanswered alerts, STIX 2.1 and MISP formats."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal.web.features import DemoSeeder, Feature, MailCategory, NavEntry

bp = Blueprint("csirt", __name__)


def declare() -> Feature:
    """What the CSIRT exchange adds to the portal (portal.web.features says why a function)."""
    from portal.accounts import audiences
    from portal.csirt.access import MAIL_READERSHIP
    from portal.csirt.attention import ATTENTION
    from portal.csirt.demo import seed_demo_csirt
    from portal.csirt.forms import AUDIT_KINDS, AUDIT_OBJECTS
    from portal.csirt.notifications import MAIL_KINDS, URGENT_KINDS
    from portal.csirt.reminders import queue_unanswered_alerts
    from portal.csirt.search import SEARCH_SOURCES

    return Feature(
        name="csirt",
        blueprints=(bp,),
        view_modules=("portal.csirt.views", "portal.csirt.team_views"),
        reminder_jobs=(("csirt", queue_unanswered_alerts),),
        mail_categories=(MailCategory("csirt", _l("CSIRT bulletins"), ("csirt_",)),),
        mandatory_kinds=URGENT_KINDS,
        mail_subjects=MAIL_READERSHIP,
        mail_kinds=MAIL_KINDS,
        audit_kinds=AUDIT_KINDS,
        search_sources=SEARCH_SOURCES,
        audit_objects=AUDIT_OBJECTS,
        navigation=(
            NavEntry(
                "csirt.bulletin_list",
                _l("CSIRT"),
                order=65,
                visible_to=audiences.delegation_members,
            ),
        ),
        attention=ATTENTION,
        demo=DemoSeeder(order=75, seed=lambda session, demo: seed_demo_csirt(session, demo)),
    )

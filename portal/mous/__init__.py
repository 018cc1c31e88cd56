"""Memoranda of understanding, their working groups and memberships."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal.web.features import DashboardPanel, DemoSeeder, Feature, NavEntry

bp = Blueprint("mous", __name__)


def declare() -> Feature:
    """What mous adds to the portal (portal.web.features says why a function)."""
    from flask import request

    from portal.accounts import audiences
    from portal.mous.access import MAIL_READERSHIP
    from portal.mous.demo import seed_demo_mous
    from portal.mous.forms import AREA_LABELS, STATUS_LABELS
    from portal.mous.queries import list_mou_cards
    from portal.mous.services import my_working_groups
    from portal.web.forms import page_number

    def working_groups_panel(session, reader) -> dict:
        groups = my_working_groups(session, reader, page=page_number(request.args))
        return {"groups": groups, "kept": groups.shown}

    def mous_panel(session, reader) -> dict:
        mous = list_mou_cards(session, reader, page=1)
        return {"mous": mous, "areas": AREA_LABELS, "statuses": STATUS_LABELS, "kept": mous.shown}

    return Feature(
        name="mous",
        mail_subjects=MAIL_READERSHIP,
        blueprints=(bp,),
        view_modules=("portal.mous.views",),
        navigation=(
            NavEntry(
                "mous.mou_list", _l("MoUs"), order=20, visible_to=audiences.delegation_members
            ),
        ),
        dashboard_panels=(
            DashboardPanel("mous/_dashboard_groups.html", working_groups_panel, order=40),
            DashboardPanel("mous/_dashboard_mous.html", mous_panel, order=50),
        ),
        demo=DemoSeeder(order=20, seed=seed_demo_mous),
    )

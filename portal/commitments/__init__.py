"""Commitments: what the parties of an MoU undertake under each line of cooperation, who is
responsible, by when, how it goes (status, dated progress notes) and which meetings, action
items, documents and trainings serve it; and the coordinators' overview of their party's
MoUs (what is overdue, what is next, the state of the commitments)."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal.web.features import DemoSeeder, Feature, NavEntry, PagePanel

bp = Blueprint("commitments", __name__)


def declare() -> Feature:
    """What commitments adds to the portal (portal.web.features says why a function)."""
    from portal.accounts import ADMINISTRATION, audiences
    from portal.commitments.access import can_edit_commitments, can_view_commitments
    from portal.commitments.demo import seed_demo_commitments
    from portal.commitments.forms import AUDIT_KINDS, AUDIT_OBJECTS, STATUS_LABELS
    from portal.commitments.notifications import MAIL_KINDS
    from portal.commitments.panel import mou_panel, panel_read
    from portal.commitments.report import SECTION as commitments_report
    from portal.core.i18n import reader_today

    def commitments_read(reader, mou):
        return panel_read(reader, mou) if can_view_commitments(reader, mou) else None

    def mou_commitments_panel(session, reader, mou, rows) -> dict:
        if not can_view_commitments(reader, mou):
            return {"mou": None}
        lines = mou_panel(rows, mou)
        can_edit = can_edit_commitments(reader, mou)
        today = reader_today()
        return {
            "mou": mou,
            "lines": lines,
            "statuses": STATUS_LABELS,
            "can_edit": can_edit,
            "today": today,
            # What the panel shows (portal/mous/panels.py keeps it under that).
            "kept": (lines, can_edit, today),
        }

    return Feature(
        name="commitments",
        mail_kinds=MAIL_KINDS,
        audit_kinds=AUDIT_KINDS,
        audit_objects=AUDIT_OBJECTS,
        blueprints=(bp,),
        view_modules=("portal.commitments.views",),
        report_sections=(commitments_report,),
        mou_panels=(
            PagePanel(
                "commitments/_mou_panel.html",
                mou_commitments_panel,
                order=35,
                read=commitments_read,
            ),
        ),
        navigation=(
            NavEntry(
                "commitments.my_follow_up",
                _l("Follow-up"),
                order=5,
                visible_to=audiences.coordinators_and_administrators,
                menu=ADMINISTRATION,
            ),
        ),
        demo=DemoSeeder(order=85, seed=seed_demo_commitments),
    )

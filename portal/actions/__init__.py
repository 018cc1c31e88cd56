"""Action items: who does what by when, with reminders, history, a list and a chart."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal.web.features import DashboardPanel, DemoSeeder, Feature, MailCategory, NavEntry

bp = Blueprint("actions", __name__)


def declare() -> Feature:
    """What actions adds to the portal (portal.web.features says why a function)."""
    from portal.accounts import audiences
    from portal.actions import reminders
    from portal.actions.access import MAIL_READERSHIP
    from portal.actions.demo import seed_demo_actions
    from portal.actions.forms import STATUS_LABELS
    from portal.actions.notifications import MAIL_KINDS
    from portal.actions.queries import open_actions, today

    def open_actions_panel(session, reader) -> dict:
        return {
            "actions": open_actions(session, reader),
            "action_status_labels": STATUS_LABELS,
            "today": today(),
        }

    def daily(job):
        """Action item reminders are by day (UTC), not by the minute."""
        return lambda session, now: job(session, now.date())

    return Feature(
        name="actions",
        mail_subjects=MAIL_READERSHIP,
        mail_kinds=MAIL_KINDS,
        blueprints=(bp,),
        view_modules=("portal.actions.views",),
        reminder_jobs=(
            ("due_soon", daily(reminders.due_soon)),
            ("overdue", daily(reminders.overdue)),
            ("weekly_summary", daily(reminders.weekly_summary)),
        ),
        mail_categories=(MailCategory("actions", _l("Action items"), ("action_",)),),
        navigation=(
            NavEntry(
                "actions.action_list",
                _l("Action items"),
                order=40,
                visible_to=audiences.delegation_members,
            ),
        ),
        dashboard_panels=(DashboardPanel("actions/_dashboard.html", open_actions_panel, order=30),),
        demo=DemoSeeder(
            order=40, seed=lambda session, demo: seed_demo_actions(session, demo.users)
        ),
    )

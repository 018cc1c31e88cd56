"""Action items: who does what by when, with reminders, history, a list and a chart."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal.web.features import (
    DashboardPanel,
    DemoSeeder,
    Feature,
    MailCategory,
    NavEntry,
    PagePanel,
)

bp = Blueprint("actions", __name__)


def declare() -> Feature:
    """What actions adds to the portal (portal.web.features says why a function)."""
    from portal.accounts import audiences
    from portal.actions import calendar as actions_calendar
    from portal.actions import reminders
    from portal.actions import report as actions_report
    from portal.actions.access import MAIL_READERSHIP, can_work_on_actions
    from portal.actions.attention import ATTENTION
    from portal.actions.chart import group_chart_html, mou_chart_html, mou_groups_read
    from portal.actions.demo import seed_demo_actions
    from portal.actions.forms import STATUS_LABELS
    from portal.actions.notifications import MAIL_KINDS
    from portal.actions.queries import open_group_actions, today
    from portal.actions.search import SEARCH_SOURCES
    from portal.actions.summaries import open_actions

    def open_actions_panel(session, reader) -> dict:
        actions, on = open_actions(session, reader), today()
        return {
            "actions": actions,
            "action_status_labels": STATUS_LABELS,
            "today": on,
            "kept": (actions.shown, on),
        }

    def group_actions_panel(session, reader, group) -> dict:
        actions = tuple(open_group_actions(session, reader, group))
        on = today()
        chart = group_chart_html(session, reader, group, on)
        can_create = can_work_on_actions(reader, group)
        return {
            "actions": actions,
            "action_status_labels": STATUS_LABELS,
            "today": on,
            "chart": chart,
            "can_create": can_create,
            # What the panel shows (portal/mous/panels.py keeps it under that).
            "kept": (actions, on, str(chart), can_create),
        }

    def mou_progress_panel(session, reader, mou, groups) -> dict:
        return {"chart": mou_chart_html(session, reader, mou, today(), groups)}

    def weekly(job):
        """The co-chairs' summary counts UTC's weeks (owners' reminders their own days)."""
        return lambda session, now: job(session, now.date())

    return Feature(
        name="actions",
        report_sections=(actions_report.SECTION,),
        search_sources=SEARCH_SOURCES,
        mail_subjects=MAIL_READERSHIP,
        mail_kinds=MAIL_KINDS,
        blueprints=(bp,),
        group_panels=(PagePanel("actions/_group_panel.html", group_actions_panel, order=30),),
        mou_panels=(
            PagePanel(
                "actions/_mou_progress.html",
                mou_progress_panel,
                order=30,
                read=mou_groups_read,
            ),
        ),
        calendar_sources=(actions_calendar.SOURCE,),
        view_modules=("portal.actions.views", "portal.actions.list_views"),
        reminder_jobs=(
            ("due_soon", reminders.due_soon),
            ("overdue", reminders.overdue),
            ("weekly_summary", weekly(reminders.weekly_summary)),
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
        attention=ATTENTION,
        demo=DemoSeeder(
            order=40, seed=lambda session, demo: seed_demo_actions(session, demo.users)
        ),
    )

"""Meetings of the working groups: scheduling, invitations and replies, calendars, minutes."""

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

bp = Blueprint("meetings", __name__)


def declare() -> Feature:
    """What meetings adds to the portal (portal.web.features says why a function)."""
    from portal.accounts import audiences
    from portal.meetings import report as meetings_report
    from portal.meetings.access import MAIL_READERSHIP
    from portal.meetings.attention import ATTENTION
    from portal.meetings.demo import seed_demo_meetings
    from portal.meetings.notifications import MAIL_KINDS, MAIL_VALUES
    from portal.meetings.pending import complete_all_pending
    from portal.meetings.queries import upcoming_group_meetings
    from portal.meetings.reminders import queue_meeting_reminders
    from portal.meetings.search import SEARCH_SOURCES
    from portal.meetings.summaries import next_meetings

    def next_meetings_panel(session, reader) -> dict:
        meetings = next_meetings(session, reader)
        return {"meetings": meetings, "kept": meetings.shown}

    def group_meetings_panel(session, reader, group, meetings) -> dict:
        return {"meetings": meetings, "kept": meetings}

    return Feature(
        name="meetings",
        report_sections=(meetings_report.SECTION,),
        search_sources=SEARCH_SOURCES,
        mail_subjects=MAIL_READERSHIP,
        mail_kinds=MAIL_KINDS,
        mail_values=MAIL_VALUES,
        # A new series' later occurrences get their invitations before mails are sent.
        outbox_steps=(complete_all_pending,),
        blueprints=(bp,),
        group_panels=(
            PagePanel(
                "meetings/_group_panel.html",
                group_meetings_panel,
                order=10,
                read=upcoming_group_meetings,
            ),
        ),
        view_modules=(
            "portal.meetings.views",
            "portal.meetings.calendar_views",
            "portal.meetings.minutes_views",
            "portal.meetings.participation_views",
            "portal.meetings.find_time_views",
        ),
        reminder_jobs=(("meetings", queue_meeting_reminders),),
        mail_categories=(
            MailCategory("meetings", _l("Meetings"), ("meeting_",)),
            MailCategory("minutes", _l("Minutes"), ("minutes_",)),
        ),
        calendar_kinds=frozenset({"meeting_invitation", "meeting_change", "meeting_cancellation"}),
        navigation=(
            NavEntry(
                "meetings.month", _l("Calendar"), order=30, visible_to=audiences.delegation_members
            ),
        ),
        dashboard_panels=(
            DashboardPanel("meetings/_dashboard.html", next_meetings_panel, order=10),
        ),
        attention=ATTENTION,
        public_endpoints=frozenset(
            {
                # The signed token names one invitation and can only answer it.
                "meetings.reply_by_link",
                # The private feed URL carries an HMAC token; 404 without a valid one.
                "meetings.feed",
            }
        ),
        demo=DemoSeeder(
            order=30, seed=lambda session, demo: seed_demo_meetings(session, demo.users)
        ),
    )

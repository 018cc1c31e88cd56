"""Training sessions: registration and waiting lists, rosters, materials, certificates,
feedback and reports; external participants see nothing else."""

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

bp = Blueprint("trainings", __name__)


def declare() -> Feature:
    """What trainings adds to the portal (portal.web.features says why a function)."""
    from portal.trainings import calendar as trainings_calendar
    from portal.trainings import report as trainings_report
    from portal.trainings.access import MAIL_READERSHIP, can_view_mou_training_report
    from portal.trainings.attention import ATTENTION
    from portal.trainings.confinement import confine_external_participants
    from portal.trainings.demo import seed_demo_trainings
    from portal.trainings.notifications import MAIL_KINDS
    from portal.trainings.queries import next_trainings, upcoming_mou_trainings
    from portal.trainings.reminders import queue_training_reminders
    from portal.trainings.search import SEARCH_SOURCES

    def next_trainings_panel(session, reader) -> dict:
        trainings = next_trainings(session, reader)
        return {"trainings": trainings, "kept": trainings.shown}

    def mou_trainings_panel(session, reader, mou, trainings) -> dict:
        """The MoU's next trainings, on its page and on its groups' (`mou` is the group's)."""
        can_see_report = can_view_mou_training_report(reader, mou)
        return {
            "trainings": trainings,
            "mou": mou,
            "can_see_report": can_see_report,
            "kept": (trainings, mou.id, can_see_report),
        }

    return Feature(
        name="trainings",
        report_sections=(trainings_report.SECTION,),
        search_sources=SEARCH_SOURCES,
        mail_subjects=MAIL_READERSHIP,
        mail_kinds=MAIL_KINDS,
        blueprints=(bp,),
        group_panels=(
            PagePanel(
                "trainings/_mou_panel.html",
                lambda session, reader, group, rows: mou_trainings_panel(
                    session, reader, group.mou, rows
                ),
                order=20,
                read=lambda reader, group: upcoming_mou_trainings(reader, group.mou.id),
            ),
        ),
        mou_panels=(
            PagePanel(
                "trainings/_mou_panel.html",
                mou_trainings_panel,
                order=20,
                read=lambda reader, mou: upcoming_mou_trainings(reader, mou.id),
            ),
        ),
        calendar_sources=(trainings_calendar.SOURCE,),
        view_modules=(
            "portal.trainings.views",
            "portal.trainings.followup_views",
            "portal.trainings.material_views",
            "portal.trainings.report_views",
            "portal.trainings.roster_views",
        ),
        reminder_jobs=(("trainings", queue_training_reminders),),
        mail_categories=(MailCategory("trainings", _l("Training sessions"), ("training_",)),),
        calendar_kinds=frozenset(
            {
                "training_invited",
                "training_confirmed",
                "training_waitlisted",
                "training_promoted",
                "training_changed",
                "training_cancelled",
                "training_registration_cancelled",
            }
        ),
        navigation=(NavEntry("trainings.training_list", _l("Trainings"), order=60),),
        dashboard_panels=(
            DashboardPanel("trainings/_dashboard.html", next_trainings_panel, order=20),
        ),
        attention=ATTENTION,
        public_endpoints=frozenset(
            {
                "trainings.verify_certificate",  # says only whether a code is valid, and for whom
                "trainings.verify_certificate_code",  # as verify_certificate, by the printed link
            }
        ),
        demo=DemoSeeder(
            order=70, seed=lambda session, demo: seed_demo_trainings(session, demo.users)
        ),
        before_request=(confine_external_participants,),
    )

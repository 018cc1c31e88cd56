"""The report is kept per reader under the MoU's report version and the next instant its
figures change by time alone (portal/reports/versions.py): a change made through any
section's feature shows at once, a meeting that ends is counted held with no write, and no
reader is ever served figures kept for another who sees less."""

from datetime import UTC, date, datetime, timedelta

import time_machine
from flask_babel import force_locale

from portal.accounts.models import User
from portal.actions import services as actions
from portal.actions.models import ActionItem, ActionStatus
from portal.commitments import services as commitments
from portal.commitments.models import Commitment, CommitmentStatus
from portal.core.extensions import db
from portal.core.kept.versions import declared
from portal.meetings import participation
from portal.meetings.models import Attendance, Meeting
from portal.mous.models import Mou
from portal.reports.export import parties_text
from portal.reports.queries import implementation_report
from portal.trainings import registrations
from portal.trainings.models import Training
from portal.web.features import report_sections
from portal.web.sources import ReportPeriod
from tests.factories import make_action, make_document, make_meeting, make_training
from tests.helpers.commitments import make_commitment
from tests.helpers.report_page import figures
from tests.helpers.shown_fields import recorded_columns, recorded_reads, undeclared

PERIOD = "first=2020-01-01&last=2030-12-31"
NOW = datetime.now(UTC).replace(microsecond=0)


def _figures(browser, mou_id: int) -> dict:
    answer = browser.get(f"/mous/{mou_id}/report?{PERIOD}")
    assert answer.status_code == 200
    return figures(answer.get_data(as_text=True))


def _kept_figures(browser, mou_id: int) -> dict:
    """The figures, asked twice: the second answer is the kept one."""
    first = _figures(browser, mou_id)
    assert _figures(browser, mou_id) == first
    return first


def _version(session, mou_id: int) -> int:
    session.expire_all()
    return session.get(Mou, mou_id).report_version


def test_a_change_through_each_feature_shows_at_once_in_the_kept_report(
    app, world, session, login_as
):
    meeting = make_meeting(
        session, world.group, NOW - timedelta(hours=3), invitees=[world.member_gb]
    )
    item = make_action(session, world.group, [world.member_gb], date(2030, 1, 1))
    training = make_training(session, world.mou, NOW + timedelta(days=10))
    commitment = make_commitment(session, world.mou)
    session.commit()
    browser = login_as(world.coordinator_gb)
    before = _kept_figures(browser, world.mou.id)
    assert before[("attendance", "GB", "present")] == "0"
    assert before[("actions", "GB", "done")] == "0"

    def through_service(change) -> dict:
        version = _version(session, world.mou.id)
        with app.test_request_context():
            change()
            db.session.commit()
        assert _version(session, world.mou.id) > version
        return _figures(browser, world.mou.id)

    def attended() -> None:
        coordinator = db.session.get(User, world.coordinator_gb.id)
        held = db.session.get(Meeting, meeting.id)
        marks = {held.invitees[0].id: Attendance.PRESENT}
        participation.record_attendance(db.session, coordinator, held, marks)

    assert through_service(attended)[("attendance", "GB", "present")] == "1"

    def done() -> None:
        owner = db.session.get(User, world.member_gb.id)
        actions.change_status(
            db.session, owner, db.session.get(ActionItem, item.id), ActionStatus.DONE
        )

    assert through_service(done)[("actions", "GB", "done")] == "1"

    shared = _figures(browser, world.mou.id)[("documents", "protocol", "total")]
    make_document(app, world.member_gb, world.mou, world.group)  # the service, committed
    assert _figures(browser, world.mou.id)[("documents", "protocol", "total")] == str(
        int(shared) + 1
    )

    def registered() -> None:
        person = db.session.get(User, world.member_gb.id)
        participant = registrations.Participant("CSIRT UK", "public")
        registrations.register(
            db.session, person, db.session.get(Training, training.id), person, participant
        )

    gb_row = str(world.gb.id)
    assert before[("trainings_per_party", gb_row, "registrations")] == "0"
    assert through_service(registered)[("trainings_per_party", gb_row, "registrations")] == "1"

    def achieved() -> None:
        coordinator = db.session.get(User, world.coordinator_gb.id)
        change = commitments.StatusChange(CommitmentStatus.ACHIEVED)
        commitments.change_status(
            db.session, coordinator, db.session.get(Commitment, commitment.id), change
        )

    assert before[("commitments", "1", "achieved")] == "0"
    after = through_service(achieved)
    assert (after[("commitments", "1", "achieved")], after[("commitments", "1", "planned")]) == (
        "1",
        "0",
    )


def test_a_meeting_that_ends_is_counted_held_with_no_write(app, world, session, login_as):
    now = datetime(2030, 5, 14, 14, tzinfo=UTC)  # mid-afternoon in Santiago and London alike
    make_meeting(session, world.group, now - timedelta(minutes=30), hours=0.75)
    session.commit()
    with time_machine.travel(now, tick=False) as clock:
        browser = login_as(world.member_gb)
        during = _kept_figures(browser, world.mou.id)
        assert (
            during[("meetings", "held", "meetings")],
            during[("meetings", "upcoming", "meetings")],
        ) == ("0", "1")
        version = _version(session, world.mou.id)
        clock.move_to(now + timedelta(minutes=16))
        after = _figures(browser, world.mou.id)
        assert _version(session, world.mou.id) == version  # nothing was written
        assert (
            after[("meetings", "held", "meetings")],
            after[("meetings", "upcoming", "meetings")],
        ) == ("1", "0")


def test_readers_who_see_different_meetings_never_get_each_others_figures(world, session, login_as):
    """Javiera reads the group; her colleague outside it sees only the meeting he is invited to
    (both of Chile, both reading Spanish)."""
    make_meeting(session, world.group, NOW - timedelta(days=2), invitees=[world.member_cl])
    make_meeting(
        session,
        world.group,
        NOW - timedelta(days=1),
        invitees=[world.member_cl, world.member_cl_outside_group],
    )
    session.commit()
    member, outsider = login_as(world.member_cl), login_as(world.member_cl_outside_group)
    held = ("meetings", "held", "meetings")
    invited = ("attendance", "CL", "invited"), ("attendance", "GB", "invited")
    assert _kept_figures(member, world.mou.id)[held] == "2"
    seen = _kept_figures(outsider, world.mou.id)
    assert (seen[held], seen[invited[0]], seen[invited[1]]) == ("1", "2", "0")
    assert _figures(member, world.mou.id)[held] == "2"
    # A person's party decides the row their invitations are counted in (and what they see).
    world.member_cl_outside_group.party = world.gb
    session.commit()
    seen = _figures(outsider, world.mou.id)
    assert (seen[held], seen[invited[0]], seen[invited[1]]) == ("1", "1", "1")


def test_every_field_the_report_reads_raises_its_version(app, world, session):
    """What the sections' statements select and what the page reads of objects: each change
    of it raises Mou.report_version (else a kept report could outlive it)."""
    make_meeting(session, world.group, NOW - timedelta(days=1), invitees=[world.member_gb])
    make_action(session, world.group, [world.member_gb], date(2026, 1, 1))
    make_training(session, world.mou, NOW - timedelta(days=3))
    make_commitment(session, world.mou)
    session.commit()
    make_document(app, world.member_gb, world.mou, world.group)
    period = ReportPeriod(date(2020, 1, 1), date(2030, 12, 31), "Europe/London")
    with app.test_request_context(), force_locale("en"):
        reader = db.session.get(User, world.coordinator_gb.id)
        mou = db.session.get(Mou, world.mou.id)
        with recorded_columns(db.engine) as columns, recorded_reads() as reads:
            report = implementation_report(db.session, reader, mou, period, report_sections(app))
            shown_parties = parties_text(report)  # what the kept page says of the MoU
    assert {part.key for part in report.parts} >= {"meetings", "actions", "documents"}
    assert "GB" in shown_parties
    missing = undeclared(declared(Mou.report_version), columns | reads)
    # The version itself is the key; whether the reader's account is active decides whether
    # they are logged in at all, not what the report counts.
    assert missing == {("Mou", "report_version"), ("User", "is_active")}, missing

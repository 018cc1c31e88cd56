"""A year of activity under the demo's Chile–Colombia MoU, built with the factories, for the
implementation report's tests: meetings held (attendance of both parties), one cancelled and
one to come, minutes in every state (approvals after a varying number of days, one of them
withdrawn), action items in every status, documents of every TLP label (a RED one named only
to a Chilean member, an AMBER+STRICT one of Chile's) and trainings with certificates.

Every date is at least a few days away from the edges of "the last 365 days", so the figures
do not depend on the reader's zone."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import select

from portal.accounts.models import User
from portal.actions.models import ActionStatus
from portal.core.tlp import TLP
from portal.documents.models import DocumentCategory
from portal.meetings.models import (
    Attendance,
    MeetingStatus,
    Minutes,
    MinutesApproval,
    MinutesState,
)
from portal.mous.models import Mou
from portal.trainings.certificates import Certificate
from portal.trainings.models import AttendanceMark, Sector
from tests import factories

RED_TITLE = "Ledger of the red incident 7731"
STRICT_TITLE = "Strictly Chilean draft strategy 4410"
OPEN_TITLE = "Shared protocol for phishing 5120"
ATTENDANCE = (Attendance.PRESENT, Attendance.PARTIAL, Attendance.ABSENT, Attendance.UNKNOWN)
MINUTES_STATES = (MinutesState.APPROVED, MinutesState.CIRCULATED, MinutesState.DRAFT, None)
STATUSES = (
    ActionStatus.OPEN,
    ActionStatus.IN_PROGRESS,
    ActionStatus.DONE,
    ActionStatus.DONE,
    ActionStatus.CANCELLED,
)


def chile_colombia(session) -> Mou:
    return session.scalar(select(Mou).where(Mou.title_en.like("%between Chile and Colombia")))


def add_a_year_of_activity(app, session) -> SimpleNamespace:
    """Add the activity (committed); returns the MoU, its people and the period's days."""
    mou = chile_colombia(session)
    people = {u.email.split("@")[0]: u for u in session.scalars(select(User))}
    cl = [people["coordinator.cl"], people["member.cl"]]
    co = [people["coordinator.co"], people["member.co"]]
    group = next(g for g in mou.working_groups if g.name_en == "Best practices")
    now = datetime.now(UTC).replace(microsecond=0)
    today = now.date()
    for n in range(12):
        _meeting(session, group, now - timedelta(days=20 + 28 * n), n, cl + co)
    factories.make_meeting(
        session, group, now - timedelta(days=40), status=MeetingStatus.CANCELLED, invitees=cl + co
    )
    factories.make_meeting(session, group, now + timedelta(days=15), invitees=cl + co)
    for n in range(25):
        _action(session, group, cl + co, n, now, today)
    for n in range(2):
        _training(session, mou, now - timedelta(days=60 + 120 * n), cl + co, n)
    session.commit()  # the documents are made by the app's own session, through the service
    _documents(app, mou, group, people)
    return SimpleNamespace(
        mou=mou, people=people, first=today - timedelta(days=365), last=today, group=group
    )


def _meeting(session, group, starts_at, n, invitees):
    meeting = factories.make_meeting(session, group, starts_at, hours=2, invitees=invitees)
    for i, invitee in enumerate(meeting.invitees):
        invitee.attendance = ATTENDANCE[(n + i) % len(ATTENDANCE)]
    state = MINUTES_STATES[n % len(MINUTES_STATES)]
    if state is None:
        return
    minutes = Minutes(meeting=meeting, state=state, revision_number=1, body_md="Acta.")
    session.add(minutes)
    if state == MinutesState.APPROVED:
        first_party, second_party = invitees[0], invitees[2]
        for person, days in ((first_party, 1), (second_party, 2 + n)):
            minutes.approvals.append(
                MinutesApproval(
                    party_id=person.party_id,
                    user_id=person.id,
                    revision_number=1,
                    approved_at=meeting.ends_at + timedelta(days=days, hours=3),
                )
            )
        # Withdrawn later: not when the approval was complete.
        minutes.approvals.append(
            MinutesApproval(
                party_id=first_party.party_id,
                user_id=first_party.id,
                revision_number=0,
                approved_at=meeting.ends_at + timedelta(days=40),
                withdrawn_at=meeting.ends_at + timedelta(days=41),
            )
        )
    session.flush()


def _action(session, group, people, n, now, today):
    owner = people[n % len(people)]
    created_at = now - timedelta(days=10 + 13 * n)
    due_on = created_at.date() + timedelta(days=12)
    status = STATUSES[n % len(STATUSES)]
    completed_on = None
    if status == ActionStatus.DONE:
        late = (n // len(STATUSES)) % 2  # alternately on time and late
        completed_on = min(due_on + timedelta(days=4 if late else -3), today)
    factories.make_action(
        session,
        group,
        [owner],
        due_on,
        status=status,
        completed_on=completed_on,
        created_at=created_at,
        title=f"Report action {n}",
    )


def _documents(app, mou, group, people):
    member_cl, coordinator_co = people["member.cl"], people["coordinator.co"]
    factories.make_document(
        app, member_cl, mou, group, title=RED_TITLE, tlp=TLP.RED, reader_ids=[member_cl.id]
    )
    factories.make_document(
        app,
        people["coordinator.cl"],
        mou,
        None,
        title=STRICT_TITLE,
        tlp=TLP.AMBER_STRICT,
        category=DocumentCategory.NATIONAL_STRATEGY,
    )
    factories.make_document(app, coordinator_co, mou, group, title=OPEN_TITLE, tlp=TLP.GREEN)
    factories.make_document(
        app,
        coordinator_co,
        mou,
        None,
        title='=HYPERLINK("http://evil.example")',
        tlp=TLP.GREEN,
        category=DocumentCategory.BEST_PRACTICE,
    )


def _training(session, mou, starts_at, people, n):
    training = factories.make_training(session, mou, starts_at, capacity=10)
    marks = (AttendanceMark.PRESENT, AttendanceMark.PARTIAL, AttendanceMark.ABSENT, None)
    sectors = (Sector.PUBLIC, Sector.PUBLIC, Sector.ACADEMIA, Sector.PRIVATE)
    for i, person in enumerate(people):
        registration = factories.make_registration(
            session, training, person, attendance=marks[(i + n) % 4], sector=sectors[i]
        )
        if registration.attendance in (AttendanceMark.PRESENT, AttendanceMark.PARTIAL):
            session.add(
                Certificate(
                    registration=registration,
                    code=f"REPORT{n}{i}".ljust(20, "X"),
                    language="es",
                    minutes=180,
                )
            )
    session.flush()


def day_bounds(first: date, last: date, zone: str) -> tuple[datetime, datetime]:
    """The UTC instants of the period's first midnight and of the midnight after its last day."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(zone)
    start = datetime(first.year, first.month, first.day, tzinfo=tz)
    end = datetime(last.year, last.month, last.day, tzinfo=tz) + timedelta(days=1)
    return start.astimezone(UTC), end.astimezone(UTC)

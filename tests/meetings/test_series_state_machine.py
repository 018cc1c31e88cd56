"""One working group's meetings over time, driven by Hypothesis (issue 13).

Coordinators schedule one-offs and series of each kind, change one occurrence, this and the
following ones or the whole series, cancel one or the following ones; members reply;
coordinators add agenda items and attachments, record attendance, write, circulate and
approve minutes. After every step:

- nothing people attached is lost: replies, comments, agenda items, attachments, attendance
  and minutes stay on their meeting (a reply changes only by its author's new reply);
- every meeting ever shown still exists and answers, as itself or as cancelled;
- for every UID, the .ics download, what each invitee's calendar made of the mails they got,
  and the private feed, expanded, equal the stored meetings that are not cancelled;
- SEQUENCE never goes down for a UID, in mails, downloads or feeds;
- a reply to a meeting whose time changed is kept and marked to confirm again.

All meetings lie in the future of a clock held still (time-machine), so the rules for past
meetings play no part; attendance is recorded with the clock moved to the meeting's start.
"""

import os
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)
from icalendar import Calendar
from sqlalchemy import delete, select

from portal.accounts.models import User
from portal.core.errors import Conflict, ValidationError
from portal.core.extensions import db
from portal.core.tlp import TLP
from portal.documents.models import (
    Document,
    agenda_item_documents,
)
from portal.meetings import (
    attachments,
    cancelling,
    feeds,
    minutes,
    minutes_reopening,
    participation,
)
from portal.meetings import services as scheduling
from portal.meetings.models import (
    AgendaItem,
    Attendance,
    Invitee,
    Meeting,
    MeetingPage,
    MeetingSeries,
    MeetingStatus,
    Minutes,
    MinutesApproval,
    MinutesRevision,
    Reply,
)
from portal.meetings.recurrence import Frequency, Recurrence
from portal.mous.models import WorkingGroup
from portal.notifications.models import OutboxMessage
from tests import factories
from tests.helpers.calendar_expansion import MailboxCalendar, expanded
from tests.helpers.notifications import worker_first_step

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
ZONES = ("America/Santiago", "Europe/London", "America/Bogota", "Europe/Madrid")
# The two invitees whose mailboxes and feed are followed (one reads Spanish, one English).
WATCHED = ("member_cl", "member_gb")
REFUSED = (ValidationError, Conflict)

# Quick enough for every CI run (about 40 s of CPU per backend). A failing run is reported
# unshrunk (its steps are printed): shrinking a run of this machine takes many minutes.
# SERIES_MACHINE_EXAMPLES=500 explores further, and shrinks, for a run by hand.
_DEEP = int(os.environ.get("SERIES_MACHINE_EXAMPLES", "0"))
MACHINE = settings(
    max_examples=_DEEP or 15,
    stateful_step_count=20 if _DEEP else 12,
    phases=list(Phase) if _DEEP else [Phase.explicit, Phase.reuse, Phase.generate],
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _last_same_weekday(day):
    later = day + timedelta(days=7)
    while later.month == day.month:
        day, later = later, later + timedelta(days=7)
    return day


class Meetings(RuleBasedStateMachine):
    """Configured by the test below: `app`, `world`, `login_as`, `document_id`."""

    app = world = login_as = document_id = None
    meetings = Bundle("meetings")

    def __init__(self) -> None:
        super().__init__()
        self.traveller = time_machine.travel(NOW, tick=False)
        self.clock = self.traveller.start()
        self.ever_shown: set[int] = set()
        self.mailboxes = {name: MailboxCalendar() for name in WATCHED}
        self.mail_seen = 0
        self.highest_sequence: dict[str, int] = {}
        with self.app.app_context():
            _forget_meetings(db.session)
        self.reader = self.login_as(self.world.member_gb)
        self.feed_path = self._in_request(self._feed_path)
        self.before = self._attached()

    def teardown(self) -> None:
        for meeting_id in sorted(self.ever_shown):
            assert self.reader.get(f"/meetings/{meeting_id}").status_code == 200
        self.traveller.stop()

    # Doing things, as the services do them in a request --------------------------------------

    def _in_request(self, work, *args):
        with self.app.test_request_context():
            result = work(db.session, *args)
            db.session.commit()
        worker_first_step(self.app)  # what the request left to the outbox worker (its mails)
        return result

    def _act(self, work, *args) -> bool:
        """Run a step; a refusal must leave everything as it was."""
        before = self._attached()
        try:
            self._in_request(work, *args)
        except REFUSED:
            assert self._attached() == before
            return False
        return True

    def _person(self, session, name: str) -> User:
        return session.get(User, getattr(self.world, name).id)

    def _feed_path(self, session) -> str:
        feed = feeds.regenerate_feed(session, self._person(session, "member_gb"))
        session.flush()
        return f"/calendar/feed/{feeds.feed_token(feed)}.ics"

    def _details(self, meeting: Meeting, start_local: datetime, **changes):
        zone = ZoneInfo(meeting.timezone)
        length = meeting.ends_at - meeting.starts_at
        return scheduling.MeetingDetails(
            title_en=changes.get("title_en", meeting.title_en),
            title_es=meeting.title_es,
            description_md=meeting.description_md,
            start_local=start_local,
            end_local=(start_local.replace(tzinfo=zone) + length)
            .astimezone(zone)
            .replace(tzinfo=None),
            timezone=meeting.timezone,
            place=meeting.place,
            video_url=meeting.video_url,
            tlp=meeting.tlp,
        )

    def _schedule(self, zone, day_offset, hour, recurrence):
        def work(session):
            coordinator = self._person(session, "coordinator_cl")
            start = (NOW + timedelta(days=day_offset)).astimezone(ZoneInfo(zone))
            start = start.replace(tzinfo=None, hour=hour, minute=0, second=0, microsecond=0)
            if recurrence and recurrence.frequency == Frequency.MONTHLY_LAST_WEEKDAY:
                start = _last_same_weekday(start)
            details = scheduling.MeetingDetails(
                title_en="Call",
                title_es="Llamada",
                description_md="",
                start_local=start,
                end_local=start + timedelta(hours=1),
                timezone=zone,
                place="",
                video_url="",
                tlp=TLP.AMBER,
            )
            group = session.get(WorkingGroup, self.world.group.id)
            first = scheduling.schedule_meeting(
                session, coordinator, group, details, recurrence, confirm_ambiguous=True
            )
            session.flush()
            return [m.id for m in (first.series.meetings if first.series else [first])]

        return self._in_request(work)

    # Rules --------------------------------------------------------------------------------------

    @initialize(target=meetings, zone=st.sampled_from(ZONES), hour=st.integers(8, 18))
    def schedule_a_first_series(self, zone, hour):
        recurrence = Recurrence(Frequency.WEEKLY, count=4)
        return _multiple(self._schedule(zone, 10, hour, recurrence))

    @rule(
        target=meetings,
        zone=st.sampled_from(ZONES),
        day_offset=st.integers(1, 90),
        hour=st.integers(8, 18),
    )
    def schedule_a_meeting(self, zone, day_offset, hour):
        return _multiple(self._schedule(zone, day_offset, hour, None))

    @rule(
        target=meetings,
        zone=st.sampled_from(ZONES),
        day_offset=st.integers(1, 90),
        hour=st.integers(8, 18),
        frequency=st.sampled_from(list(Frequency)),
        interval=st.integers(1, 2),
        count=st.integers(2, 5),
    )
    def schedule_a_series(self, zone, day_offset, hour, frequency, interval, count):
        recurrence = Recurrence(frequency, interval=interval, count=count)
        return _multiple(self._schedule(zone, day_offset, hour, recurrence))

    @rule(
        meeting_id=meetings,
        who=st.sampled_from(WATCHED),
        answer=st.sampled_from([Reply.ACCEPTED, Reply.TENTATIVE, Reply.DECLINED]),
        following=st.booleans(),
    )
    def reply(self, meeting_id, who, answer, following):
        def work(session):
            meeting = session.get(Meeting, meeting_id)
            person = self._person(session, who)
            participation.reply(
                session, person, meeting, answer, f"{who} {answer}", following=following
            )

        self._replier = getattr(self.world, who).id
        self._act(work)

    @rule(
        meeting_id=meetings,
        title=st.sampled_from(["Opening", "Exercise", "Any other"]),
        attach=st.booleans(),
    )
    def add_agenda_item(self, meeting_id, title, attach):
        def work(session):
            meeting = session.get(Meeting, meeting_id)
            coordinator = self._person(session, "coordinator_gb")
            entry = participation.AgendaEntry(title=title, presenter="", planned_minutes=None)
            participation.add_agenda_item(session, coordinator, meeting, entry)
            session.flush()
            if attach:
                document = session.get(Document, self.document_id)
                item = meeting.agenda[-1]
                attachments.attach_document(session, coordinator, meeting, item.id, document)

        self._act(work)

    @rule(meeting_id=meetings, mark=st.sampled_from([Attendance.PRESENT, Attendance.ABSENT]))
    def record_attendance(self, meeting_id, mark):
        def work(session):
            meeting = session.get(Meeting, meeting_id)
            if meeting.is_cancelled:
                raise ValidationError("a cancelled meeting has no attendance")
            self.clock.move_to(meeting.starts_at + timedelta(minutes=5))
            try:
                marks = {i.id: mark for i in meeting.invitees}
                participation.record_attendance(
                    session, self._person(session, "coordinator_cl"), meeting, marks
                )
            finally:
                self.clock.move_to(NOW)

        self._attending = meeting_id
        self._act(work)

    @rule(
        meeting_id=meetings,
        hours=st.sampled_from([-2, 1, 3]),
        retitle=st.booleans(),
    )
    def change_one(self, meeting_id, hours, retitle):
        self._change(meeting_id, scheduling.Scope.THIS, timedelta(hours=hours), retitle)

    @rule(
        meeting_id=meetings,
        hours=st.sampled_from([0, -1, 2]),
        days=st.sampled_from([0, 1, 7]),
        retitle=st.booleans(),
    )
    def change_this_and_following(self, meeting_id, hours, days, retitle):
        shift = timedelta(days=days, hours=hours)
        self._change(meeting_id, scheduling.Scope.FOLLOWING, shift, retitle)

    @rule(meeting_id=meetings, hours=st.sampled_from([-1, 2]), days=st.sampled_from([0, 1]))
    def change_the_whole_series(self, meeting_id, hours, days):
        def first_of_series(session):
            meeting = session.get(Meeting, meeting_id)
            if meeting.series is None:
                return meeting_id
            return meeting.series.meetings[0].id

        first = self._in_request(first_of_series)
        shift = timedelta(days=days, hours=hours)
        self._change(first, scheduling.Scope.FOLLOWING, shift, retitle=False)

    def _change(self, meeting_id, scope, shift, retitle):
        def work(session):
            meeting = session.get(Meeting, meeting_id)
            start = meeting.starts_at.astimezone(ZoneInfo(meeting.timezone)).replace(tzinfo=None)
            title = {"title_en": f"{meeting.title_en}!"} if retitle else {}
            details = self._details(meeting, start + shift, **title)
            scheduling.update_meeting(
                session, self._person(session, "coordinator_gb"), meeting, details, scope
            )

        self._act(work)

    @rule(meeting_id=meetings, following=st.booleans())
    def cancel(self, meeting_id, following):
        scope = scheduling.Scope.FOLLOWING if following else scheduling.Scope.THIS

        def work(session):
            meeting = session.get(Meeting, meeting_id)
            cancelling.cancel_meeting(
                session, self._person(session, "coordinator_cl"), meeting, scope
            )

        self._act(work)

    @rule(meeting_id=meetings, approve=st.booleans())
    def write_and_approve_minutes(self, meeting_id, approve):
        def work(session):
            meeting = session.get(Meeting, meeting_id)
            editor = self._person(session, "coordinator_cl")
            revision = meeting.minutes.revision_number if meeting.minutes else 0
            text = f"Minutes, revision {revision + 1}."
            minutes.save_minutes(session, editor, meeting, text, revision)
            if approve:  # approved as a pair: the Spanish text is written first
                spanish = minutes.language_revision(meeting.minutes, "es")
                minutes.save_minutes(session, editor, meeting, f"Acta {revision}.", spanish, "es")
                if meeting.minutes.state.value == "draft":
                    minutes.circulate_minutes(session, editor, meeting)
                for co_chair in ("coordinator_cl", "coordinator_gb"):
                    minutes.approve_minutes(session, self._person(session, co_chair), meeting)

        self._act(work)

    @rule(meeting_id=meetings)
    def reopen_minutes(self, meeting_id):
        """A co-chair reopens approved minutes with a reason; the next write edits them again
        (approved minutes refuse an edit until then, which the rule above meets)."""

        def work(session):
            meeting = session.get(Meeting, meeting_id)
            co_chair = self._person(session, "coordinator_gb")
            minutes_reopening.reopen_minutes(session, co_chair, meeting, "A name was misspelt.")

        self._act(work)

    # What must hold after every step --------------------------------------------------------------

    def _attached(self) -> dict:
        """Everything people attached to meetings, as stored."""
        with self.app.app_context():
            session = db.session
            invitees = session.execute(
                select(
                    Invitee.meeting_id,
                    Invitee.user_id,
                    Invitee.reply,
                    Invitee.comment,
                    Invitee.attendance,
                    Invitee.reconfirm,
                )
            ).all()
            state = {
                "replies": {(r[0], r[1]): (r[2], r[3]) for r in invitees},
                "reconfirm": {(r[0], r[1]) for r in invitees if r[5]},
                "attendance": {(r[0], r[1]): r[4] for r in invitees},
                "agenda": dict(session.execute(select(AgendaItem.id, AgendaItem.meeting_id)).all()),
                "attached": set(session.execute(select(agenda_item_documents)).all()),
                "minutes": dict(session.execute(select(Minutes.meeting_id, Minutes.id)).all()),
                "meetings": {
                    m.id: (m.uid, m.starts_at, m.ends_at, m.status)
                    for m in session.scalars(select(Meeting))
                },
            }
            session.remove()
            return state

    @invariant()
    def nothing_attached_is_lost(self):
        after = self._attached()
        before, self.before = self.before, after
        replier, self._replier = getattr(self, "_replier", None), None
        attending, self._attending = getattr(self, "_attending", None), None
        for key, (answer, comment) in before["replies"].items():
            assert key in after["replies"]
            if key[1] != replier:
                assert after["replies"][key] == (answer, comment)
            elif answer != Reply.NEEDS_ACTION:
                assert after["replies"][key][0] != Reply.NEEDS_ACTION
        for key, mark in before["attendance"].items():
            assert key[0] == attending or after["attendance"][key] == mark
        for name in ("agenda", "minutes"):
            assert before[name].items() <= after[name].items()
        assert before["attached"] <= after["attached"]
        for key in before["reconfirm"] - after["reconfirm"]:
            assert key[1] == replier  # only a new reply confirms again
        for meeting_id, (_, starts, ends, status) in after["meetings"].items():
            old = before["meetings"].get(meeting_id)
            if old and (old[1], old[2]) != (starts, ends) and status != MeetingStatus.CANCELLED:
                for (mid, user), (answer, _) in after["replies"].items():
                    if mid == meeting_id and answer != Reply.NEEDS_ACTION:
                        assert (mid, user) in after["reconfirm"]

    @invariant()
    def every_meeting_shown_still_answers(self):
        stored = self._attached()["meetings"]
        assert self.ever_shown <= stored.keys()
        previous = getattr(self, "_shown_state", {})
        for meeting_id, state in stored.items():
            if meeting_id not in self.ever_shown or previous.get(meeting_id) != state:
                page = self.reader.get(f"/meetings/{meeting_id}")
                assert page.status_code == 200
                if state[3] == MeetingStatus.CANCELLED:
                    assert "Cancelled" in page.get_data(as_text=True)
        self.ever_shown |= stored.keys()
        self._shown_state = dict(stored)

    @invariant()
    def every_calendar_shows_the_stored_meetings(self):
        stored = self._attached()["meetings"]
        by_uid: dict[str, list] = {}
        for _, (uid, starts, ends, status) in sorted(stored.items()):
            shown = by_uid.setdefault(uid, [])
            if status != MeetingStatus.CANCELLED:
                shown.append((starts, ends))
        self._read_new_mails()
        feed = self._fetch(self.feed_path)
        for uid, shown in by_uid.items():
            shown.sort()
            some = min(mid for mid, state in stored.items() if state[0] == uid)
            assert expanded(self._fetch(f"/meetings/{some}/calendar.ics"), uid) == shown
            for mailbox in self.mailboxes.values():
                assert mailbox.shown(uid) == shown
            assert expanded(feed, uid) == shown

    def _read_new_mails(self) -> None:
        emails = {getattr(self.world, name).email: name for name in WATCHED}
        with self.app.app_context():
            # Whole rows: a mail queued for many has its calendar filled in from its batch.
            rows = db.session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.id > self.mail_seen, OutboxMessage.ics_method.is_not(None))
                .order_by(OutboxMessage.id)
            ).all()
            mails = [(row.id, row.recipient, row.ics_content) for row in rows]
            db.session.remove()
        for mail_id, recipient, text in mails:
            self.mail_seen = mail_id
            self._check_sequences(text, rising_per=recipient)
            if recipient in emails:
                self.mailboxes[emails[recipient]].receive(text)

    def _fetch(self, path: str) -> str:
        response = self.reader.get(path)
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        self._check_sequences(text)
        return text

    def _check_sequences(self, text: str, rising_per: str = "") -> None:
        """SEQUENCE never goes down for a UID (per recipient for mails)."""
        for event in Calendar.from_ical(text).walk("VEVENT"):
            key = (rising_per, str(event["UID"]))
            sequence = int(event.get("SEQUENCE", 0))
            assert sequence >= self.highest_sequence.get(key, 0), key
            self.highest_sequence[key] = sequence


def _multiple(ids):
    return multiple(*ids)


def _forget_meetings(session) -> None:
    """Each run starts from the group with no meetings and no mails."""
    for table in (
        agenda_item_documents,
        MinutesApproval.__table__,
        MinutesRevision.__table__,
        Minutes.__table__,
        AgendaItem.__table__,
        Invitee.__table__,
        MeetingPage.__table__,
        Meeting.__table__,
        MeetingSeries.__table__,
        OutboxMessage.__table__,
    ):
        session.execute(delete(table))
    session.commit()


def _make_document(app, world) -> int:
    return factories.make_document(
        app, world.coordinator_gb, world.mou, world.group, title="Exercise plan", tlp=TLP.GREEN
    )


def test_a_groups_meetings_keep_everything_through_any_sequence_of_changes(app, world, login_as):
    Meetings.app, Meetings.world, Meetings.login_as = app, world, staticmethod(login_as)
    Meetings.document_id = _make_document(app, world)
    run_state_machine_as_test(Meetings, settings=MACHINE)

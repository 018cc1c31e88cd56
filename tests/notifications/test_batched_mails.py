"""Mails to many are written as one batch per group of readers and one small row per person;
the outbox worker fills each in when it sends. The request stores no body per person, each
person still receives exactly their own mail, two workers send each exactly once, and a
change to a long series renders and queues no more than a change to one meeting."""

import threading
from collections import Counter
from datetime import datetime, timedelta

import pytest
from flask import template_rendered
from markupsafe import escape
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.core.extensions import db
from portal.core.tlp import TLP
from portal.meetings import notifications as meeting_mail
from portal.meetings import services as scheduling
from portal.meetings.models import Invitee, Meeting
from portal.meetings.recurrence import Frequency, Recurrence
from portal.meetings.reply_links import invitee_from_token
from portal.meetings.services import MeetingDetails
from portal.mous.models import Membership, WorkingGroup
from portal.notifications.models import OutboxBatch, OutboxMessage, OutboxStatus
from portal.notifications.worker import WorkerSettings, run_once
from tests import factories
from tests.helpers.notifications import worker_first_step
from tests.notifications.conftest import parse_bytes, raw

pytestmark = pytest.mark.usefixtures("clock_before_2026")

PEOPLE = 40


@pytest.fixture
def many(session, world) -> list[User]:
    """The group's four members and PEOPLE more, in both parties (two languages and zones)."""
    group = session.get(WorkingGroup, world.group.id)
    extra = [
        factories.make_user(session, world.cl if n % 2 else world.gb, name=f"Person <{n}> & Co")
        for n in range(PEOPLE)
    ]
    group.memberships.extend(Membership(user=person) for person in extra)
    session.commit()
    return extra


def _schedule(app, world, recurrence=None, *, worker_step: bool = True) -> int:
    with app.test_request_context():
        actor = db.session.get(User, world.coordinator_cl.id)
        group = db.session.get(WorkingGroup, world.group.id)
        start = datetime(2026, 10, 6, 10, 0)
        details = MeetingDetails(
            title_en="Exercise",
            title_es="Ejercicio",
            description_md="",
            start_local=start,
            end_local=start + timedelta(hours=1),
            timezone="America/Santiago",
            place="",
            video_url="",
            tlp=TLP.GREEN,
        )
        meeting = scheduling.schedule_meeting(
            db.session, actor, group, details, recurrence, confirm_off_hours=True
        )
        db.session.commit()
        meeting_id = meeting.id
    if worker_step:
        worker_first_step(app)  # the invitations are mailed
    return meeting_id


def test_the_request_stores_one_batch_per_group_and_only_personal_values_per_person(
    app, world, many, session
):
    _schedule(app, world)
    rows = session.scalars(select(OutboxMessage)).all()
    assert len(rows) == PEOPLE + 4
    groups = {(row.recipient_user_id and session.get(User, row.recipient_user_id)) for row in rows}
    assert session.scalar(select(func.count()).select_from(OutboxBatch)) == len(
        {(person.language, person.timezone) for person in groups}
    )
    for row in rows:
        assert (row.stored_text, row.stored_html, row.stored_ics) == ("", "", None)
        assert row.batch_id is not None and row.ics_method == "REQUEST"
        person = session.get(User, row.recipient_user_id)
        assert row.personal["name"] == person.name
        # What the worker sends: the person's name (escaped in HTML) and ATTENDEE line.
        assert person.name in row.body_text
        assert str(escape(person.name)) in row.body_html
        assert f"<{person.name}>" not in row.body_html
        assert f"mailto:{person.email}" in row.ics_content.replace("\r\n ", "")


def test_reply_links_are_signed_when_read_and_answer_the_readers_own_invitation(
    app, world, many, session
):
    """The request signs no reply link (a row keeps its invitation's ids); whoever reads the
    mail, in the app or outside it (this test's session), gets a link answering the reader's
    own invitation, and the same link each time (the worker's retries send the same)."""
    meeting_id = _schedule(app, world)
    rows = session.scalars(select(OutboxMessage)).all()
    invitees = {
        invitee.user_id: invitee
        for invitee in session.scalars(select(Invitee).where(Invitee.meeting_id == meeting_id))
    }
    tokens = set()
    for row in rows:
        assert "reply" not in str(row.personal.get("name"))
        assert "/meetings/reply/" not in str(row.personal)
        token = row.body_text.split("/meetings/reply/")[1].split("?")[0]
        assert f"/meetings/reply/{token}?answer=accepted" in row.body_html
        with app.app_context():
            assert invitee_from_token(db.session, token).id == invitees[row.recipient_user_id].id
            again = db.session.get(OutboxMessage, row.id).body_text
        assert again.split("/meetings/reply/")[1].split("?")[0] == token
        tokens.add(token)
    assert len(tokens) == len(rows) == len(invitees)


def test_two_workers_send_each_batched_mail_exactly_once_filled_for_its_reader(
    app, world, many, session, smtp_inbox, backend
):
    if backend["name"] != "postgresql":
        pytest.skip("SQLite has no SKIP LOCKED: one worker there")
    _schedule(app, world)
    errors, sent = [], {}

    def worker(name: str) -> None:
        try:
            with app.app_context():
                settings = WorkerSettings.from_config(app.config, batch_size=5)
                sent[name] = run_once(db.session, worker=name, settings=settings).sent
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sent["one"] + sent["two"] == PEOPLE + 4 and sent["one"] and sent["two"]
    assert set(Counter(smtp_inbox.message_ids()).values()) == {1}
    people = {person.email: person for person in session.scalars(select(User))}
    queued = {row.recipient: row.message_id for row in session.scalars(select(OutboxMessage))}
    for envelope in smtp_inbox.envelopes:
        [address] = envelope.rcpt_tos
        mail = parse_bytes(raw(envelope))
        assert mail["Message-ID"] == queued[address]  # fixed when it was queued
        text = mail.get_body(("plain",)).get_content()
        calendar = next(p for p in mail.walk() if p.get_content_type() == "text/calendar")
        assert people[address].name in text
        assert f"mailto:{address}" in calendar.get_content().replace("\r\n ", "")
    statuses = session.scalars(select(OutboxMessage.status)).all()
    assert set(statuses) == {OutboxStatus.SENT}


def _rendered_and_queued(app, mail) -> tuple[int, int, int]:
    """Templates rendered, batches and mails written by `mail(session)`."""
    rendered = []

    def count(sender, template, context, **extra) -> None:
        rendered.append(template.name)

    with app.test_request_context():
        session = db.session
        batches = session.scalar(select(func.count()).select_from(OutboxBatch))
        mails = session.scalar(select(func.count()).select_from(OutboxMessage))
        template_rendered.connect(count, app)
        try:
            mail(session)
            session.flush()
        finally:
            template_rendered.disconnect(count, app)
        batches = session.scalar(select(func.count()).select_from(OutboxBatch)) - batches
        mails = session.scalar(select(func.count()).select_from(OutboxMessage)) - mails
        session.rollback()
    return len(rendered), batches, mails


def test_a_change_to_a_series_of_20_renders_and_queues_no_more_than_one_meeting(app, world, many):
    single_id = _schedule(app, world)
    first_id = _schedule(app, world, Recurrence(Frequency.WEEKLY, count=20))
    with app.app_context():
        assert len(db.session.get(Meeting, first_id).series.meetings) == 20
    single = _rendered_and_queued(
        app,
        lambda session: meeting_mail.meeting_changed(
            session, session.get(Meeting, single_id), ["time"]
        ),
    )
    series = _rendered_and_queued(
        app,
        lambda session: meeting_mail.series_changed(
            session, session.get(Meeting, first_id).series, ["time"]
        ),
    )
    assert single[2] == PEOPLE + 4
    assert series == single


def test_the_worker_invites_a_series_later_meetings_before_sending_its_reply_links(
    app, world, many, session, smtp_inbox
):
    first_id = _schedule(app, world, Recurrence(Frequency.WEEKLY, count=20), worker_step=False)
    first = session.get(Meeting, first_id)
    later = [m.id for m in first.series.meetings[1:]]
    people = set(session.scalars(select(Invitee.user_id).where(Invitee.meeting_id == first_id)))
    assert len(people) == PEOPLE + 4
    assert session.scalar(select(func.count()).where(Invitee.meeting_id.in_(later))) == 0

    with app.app_context():
        assert run_once(db.session).sent == PEOPLE + 4

    for meeting_id in later:
        invited = session.scalars(select(Invitee.user_id).where(Invitee.meeting_id == meeting_id))
        assert set(invited) == people
    first_invitations = {
        invitee.user_id: invitee.id
        for invitee in session.scalars(select(Invitee).where(Invitee.meeting_id == first_id))
    }
    people_by_address = {person.email: person.id for person in session.scalars(select(User))}
    for envelope in smtp_inbox.envelopes:
        [address] = envelope.rcpt_tos
        text = parse_bytes(raw(envelope)).get_body(("plain",)).get_content()
        token = text.split("/meetings/reply/")[1].split("?")[0]
        with app.app_context():
            answered = invitee_from_token(db.session, token)
            assert answered.id == first_invitations[people_by_address[address]]

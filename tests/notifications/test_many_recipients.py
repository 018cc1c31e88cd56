"""Mails to many people at once (a meeting of hundreds): written once per language and zone,
yet each person gets exactly the mail they would get alone, with their own name, links and
calendar; scheduling asks the database the same number of questions for 4 or 24 people."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import delete, event, select

from portal.accounts.models import User
from portal.core.extensions import db
from portal.core.tlp import TLP
from portal.meetings import cancelling
from portal.meetings import notifications as meeting_mail
from portal.meetings import services as scheduling
from portal.meetings.models import Meeting, MeetingSeries
from portal.meetings.recurrence import Frequency, Recurrence
from portal.meetings.services import MeetingDetails, Scope
from portal.mous.models import Membership, WorkingGroup
from portal.notifications.models import OutboxMessage
from tests import factories
from tests.conftest import csrf_token, login
from tests.helpers.notifications import worker_first_step

# The meetings here are dated from 2026 on (see tests/conftest.py).
pytestmark = pytest.mark.usefixtures("clock_before_2026")

# Characters that HTML escapes, iCalendar quotes or folds, and a mail must keep.
TRICKY_NAME = 'Ana <b>O\'Brien</b> & Núñez, "Jr"; de la Fuente-Ødegård y Ünal Ibáñez'
FROZEN = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)  # DTSTAMP is the time of writing


def _details(start: datetime, **overrides) -> MeetingDetails:
    fields = {
        "title_en": "Incident response exercise",
        "title_es": "Ejercicio de respuesta a incidentes",
        "description_md": "Review the **playbook** & the <timeline>.",
        "start_local": start,
        "end_local": start + timedelta(hours=1),
        "timezone": "America/Santiago",
        "place": "Ministerio del Interior, Santiago",
        "video_url": "https://meet.example.org/wg",
        "tlp": TLP.AMBER,
    }
    fields.update(overrides)
    return MeetingDetails(**fields)


@pytest.fixture
def crowd(session, world) -> list[User]:
    """The group's members and more: a tricky name, a Chilean in Madrid, a Briton reading
    Spanish; so the mails fall into several groups of language and zone."""
    extra = [
        factories.make_user(session, world.cl, name=TRICKY_NAME),
        factories.make_user(session, world.gb, name="Ødegård Ünal"),
        factories.make_user(session, world.cl, timezone="Europe/Madrid"),
        factories.make_user(session, world.gb, language="es"),
    ]
    group = session.get(WorkingGroup, world.group.id)
    group.memberships.extend(Membership(user=person) for person in extra)
    session.commit()
    return [world.coordinator_cl, world.coordinator_gb, world.member_cl, world.member_gb, *extra]


def _schedule(app, world, recurrence=None) -> int:
    with app.test_request_context():
        actor = db.session.get(User, world.coordinator_cl.id)
        group = db.session.get(WorkingGroup, world.group.id)
        start = datetime(2026, 10, 6, 10, 0)
        meeting = scheduling.schedule_meeting(db.session, actor, group, _details(start), recurrence)
        db.session.commit()
        meeting_id = meeting.id
    worker_first_step(app)  # the invitations are mailed
    return meeting_id


def _mails(session) -> dict[str, tuple]:
    """Each recipient's mail as they read it (all but the Message-ID, unique to each)."""
    session.flush()
    rows = session.scalars(select(OutboxMessage)).all()
    assert len({row.message_id for row in rows}) == len(rows)
    mails = {
        row.recipient: (
            row.kind,
            row.recipient_user_id,
            row.subject,
            row.body_text,
            row.body_html,
            row.ics_method,
            row.ics_content,
            row.unsubscribe_url,
        )
        for row in rows
    }
    assert len(mails) == len(rows)  # one mail per person
    return mails


def _compare(app, meeting_id: int, alone, together) -> dict[str, tuple]:
    """Queue with `alone(meeting)` then with `together(meeting)`; both must write the same."""
    with time_machine.travel(FROZEN, tick=False), app.test_request_context():
        session = db.session
        session.execute(delete(OutboxMessage))
        meeting = session.get(Meeting, meeting_id)
        alone(session, meeting)
        expected = _mails(session)
        session.execute(delete(OutboxMessage))
        together(session, meeting)
        got = _mails(session)
        session.rollback()
    assert got.keys() == expected.keys()
    for recipient, mail in expected.items():
        assert got[recipient] == mail, recipient
    return got


# One-off meetings -----------------------------------------------------------------------------


def _each_alone(kind: str, changes=()):
    def queue(session, meeting):
        method = meeting_mail.METHODS[kind]
        for invitee in meeting.invitees:
            person = invitee.user
            text = meeting_mail._one_off(meeting, method, person)
            asked = invitee if method == "REQUEST" else None
            meeting_mail._send(
                session, kind, meeting, person, text, invitee=asked, changes=list(changes)
            )

    return queue


def test_each_invitee_of_many_gets_the_invitation_they_would_get_alone(app, world, crowd):
    meeting_id = _schedule(app, world)
    mails = _compare(
        app,
        meeting_id,
        _each_alone("invitation"),
        lambda session, meeting: meeting_mail.meeting_scheduled(session, meeting, meeting.invitees),
    )
    assert len(mails) == len(crowd)
    tricky = next(person for person in crowd if person.name == TRICKY_NAME)
    _, _, subject, text, html, method, calendar, unsubscribe = mails[tricky.email]
    assert subject == "[TLP:AMBER] Invitación: Ejercicio de respuesta a incidentes"
    assert text.startswith(f"Estimado(a) {TRICKY_NAME},")
    assert "Ana &lt;b&gt;O&#39;Brien&lt;/b&gt; &amp; Núñez" in html and "<b>O'Brien" not in html
    assert "10:00 Santiago de Chile (-03) · 14:00 Londres (BST)" in text  # both parties
    assert (method, unsubscribe) == ("REQUEST", None)  # an invitation cannot be turned off
    assert "mailto:" + tricky.email in calendar.replace("\r\n ", "")
    # Everyone's reply links answer their own invitation only.
    links = [mail[3].split("/meetings/reply/")[1].split("?")[0] for mail in mails.values()]
    assert len(set(links)) == len(crowd)


def test_each_invitee_of_many_gets_the_change_they_would_get_alone(app, world, crowd):
    meeting_id = _schedule(app, world)
    mails = _compare(
        app,
        meeting_id,
        _each_alone("change", ["time", "place"]),
        lambda session, meeting: meeting_mail.meeting_changed(session, meeting, ["time", "place"]),
    )
    assert len(mails) == len(crowd)
    # A change keeps calendars in step: nobody can turn it off (issue 13, item 2).
    assert {mail[7] for mail in mails.values()} == {None}


def test_each_invitee_of_many_gets_the_cancellation_they_would_get_alone(app, world, crowd):
    meeting_id = _schedule(app, world)
    mails = _compare(
        app,
        meeting_id,
        _each_alone("cancellation"),
        lambda session, meeting: meeting_mail.meeting_cancelled(session, meeting),
    )
    assert {mail[5] for mail in mails.values()} == {"CANCEL"}


# Series -----------------------------------------------------------------------------------------


def _series_with_exceptions(app, world) -> int:
    """A weekly series of four with its second occurrence moved and its third cancelled."""
    first_id = _schedule(app, world, Recurrence(Frequency.WEEKLY, until_on=date(2026, 10, 27)))
    with app.test_request_context():
        actor = db.session.get(User, world.coordinator_cl.id)
        series = db.session.get(Meeting, first_id).series
        second, third = series.meetings[1], series.meetings[2]
        scheduling.update_meeting(
            db.session, actor, second, _details(datetime(2026, 10, 13, 15, 0)), Scope.THIS
        )
        cancelling.cancel_meeting(db.session, actor, third, Scope.THIS)
        db.session.commit()
        return series.id


def _series_alone(kind: str, *, changes=(), changed_index=None, cancelled_index=None):
    """The mails as they were queued one person at a time."""

    def queue(session, meeting):
        series = meeting.series
        method = meeting_mail.METHODS[kind]
        first = meeting_mail._first_occurrence(series)
        cancelled = series.meetings[cancelled_index] if cancelled_index is not None else None
        shown = cancelled or (series.meetings[changed_index] if changed_index else first)
        people = [i.user for i in (cancelled or first).invitees]
        for person in people:
            invitee = next((i for i in first.invitees if i.user_id == person.id), None)
            text = meeting_mail._series(series, method, person, cancelled)
            asked = invitee if method == "REQUEST" else None
            meeting_mail._send(
                session,
                kind,
                shown,
                person,
                text,
                invitee=asked,
                changes=list(changes),
                series=series,
            )

    return queue


@pytest.mark.parametrize(
    "kind, alone, together",
    [
        (
            "invitation",
            _series_alone("invitation"),
            lambda session, meeting: meeting_mail.series_scheduled(
                session, meeting.series, [i.user for i in meeting.invitees]
            ),
        ),
        (
            "change",
            _series_alone("change", changes=["title"], changed_index=1),
            lambda session, meeting: meeting_mail.series_changed(
                session, meeting.series, ["title"], changed=meeting.series.meetings[1]
            ),
        ),
        (
            "occurrence cancelled",
            _series_alone("cancellation", cancelled_index=3),
            lambda session, meeting: meeting_mail.occurrence_cancelled(
                session, meeting.series, meeting.series.meetings[3]
            ),
        ),
        (
            "series cancelled",
            _series_alone("cancellation"),
            lambda session, meeting: meeting_mail.series_cancelled(session, meeting.series),
        ),
    ],
)
def test_each_invitee_of_a_series_gets_the_mail_they_would_get_alone(
    app, world, crowd, session, kind, alone, together
):
    series_id = _series_with_exceptions(app, world)
    first_id = session.get(MeetingSeries, series_id).meetings[0].id
    mails = _compare(app, first_id, alone, together)
    assert len(mails) == len(crowd)
    calendars = [mail[6] for mail in mails.values()]
    assert all("RRULE:" in text or "RECURRENCE-ID" in text for text in calendars)


# Queries ----------------------------------------------------------------------------------------


def _statements_to_schedule(app, engine, world, day: int) -> tuple[int, int]:
    """SQL statements run by one POST of the new-meeting form, and by the outbox worker's
    step that mails its invitations."""
    browser = app.test_client()
    login(browser, world.coordinator_cl)
    path = f"/working-groups/{world.group.id}/meetings/new"
    form = {
        "title_en": "Weekly sync",
        "title_es": "Sincronización semanal",
        "start_local": f"2026-11-{day:02d}T10:00",
        "end_local": f"2026-11-{day:02d}T11:00",
        "timezone": "America/Santiago",
        "tlp": "green",
        "repeat": "none",
        "interval": "1",
    }
    form["csrf_token"] = csrf_token(browser, path)
    statements = []

    def count(*args) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        response = browser.post(path, data=form)
        in_request = len(statements)
        assert worker_first_step(app) == 1
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 302
    return in_request, len(statements) - in_request


def test_scheduling_asks_the_same_questions_for_4_or_24_people(app, engine, world, session):
    few = _statements_to_schedule(app, engine, world, 2)
    group = session.get(WorkingGroup, world.group.id)
    for n in range(20):
        party = world.cl if n % 2 else world.gb
        group.memberships.append(Membership(user=factories.make_user(session, party)))
    session.commit()
    many = _statements_to_schedule(app, engine, world, 3)
    assert many == few
    invitations = select(OutboxMessage).where(OutboxMessage.kind == "meeting_invitation")
    assert len(session.scalars(invitations).all()) == 4 + 24


# Guards -----------------------------------------------------------------------------------------


def test_a_template_reading_more_of_the_recipient_than_a_group_shares_fails_loudly(app):
    """A mail template that starts using, say, recipient_user.email must not render an empty
    string for hundreds of people: rendering for a group refuses it."""
    from flask import render_template_string

    from portal.core.kept import Slots
    from portal.notifications.services import _Reader

    with app.test_request_context():
        reader = _Reader("name-slot", "Europe/London")
        assert render_template_string("{{ r.name }} {{ r.timezone }}", r=reader) == (
            "name-slot Europe/London"
        )
        with pytest.raises(RuntimeError, match=r"recipient_user\.email"):
            render_template_string("{{ r.email }}", r=reader)
        slots = Slots.private()
        assert slots.split(f"Hello {slots.slot('name')}!") == ["Hello ", "name", "!"]
        with pytest.raises(RuntimeError, match="transformed"):
            slots.split(f"Hello {slots.slot('name')[:-1]}!")

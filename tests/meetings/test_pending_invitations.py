"""A new series' later occurrences get their invitations, and the series its invitation mails,
after the request (issue 19, point 5).

Scheduling writes the first occurrence's invitations (its mails' reply links name them) and
leaves the mails and the other occurrences' invitations pending; the outbox worker's first
step writes them, and so does any write that touches the series before it runs: a move of
the series, a reply for this and the following meetings, a cancelled occurrence, a person
added. Until then a later occurrence's pages say its invitations are being written, not that
nobody is invited.
"""

import threading

import pytest
from sqlalchemy import func, select

from portal.core.extensions import db
from portal.meetings import pending
from portal.meetings.models import (
    Invitee,
    Meeting,
    MeetingStatus,
    PendingSeriesInvitations,
    Reply,
)
from portal.notifications.models import OutboxMessage
from portal.notifications.worker import before_sending
from tests.conftest import post
from tests.factories import make_user
from tests.helpers.backends import postgres_only  # noqa: F401  (a fixture)
from tests.helpers.notifications import worker_first_step

NEW = "/working-groups/{}/meetings/new"
BEING_WRITTEN = "The invitations to this meeting are being written"
BEING_WRITTEN_ES = "Las invitaciones a esta reunión se están escribiendo"


def _schedule(browser, world, count: int = 4) -> None:
    path = NEW.format(world.group.id)
    data = {
        "title_en": "Weekly call",
        "title_es": "Llamada semanal",
        "start_local": "2030-01-08T10:00",
        "end_local": "2030-01-08T11:00",
        "timezone": "Europe/London",
        "tlp": "amber",
        "repeat": "weekly",
        "count": str(count),
    }
    assert post(browser, path, data, token_from=path).status_code == 302


def _meetings(session) -> list[Meeting]:
    session.expire_all()
    return session.scalars(select(Meeting).order_by(Meeting.original_start_local)).all()


def _invited(session, meeting: Meeting) -> set[int]:
    return set(session.scalars(select(Invitee.user_id).where(Invitee.meeting_id == meeting.id)))


def _pending(session) -> int:
    return session.scalar(select(func.count()).select_from(PendingSeriesInvitations))


def _mail_kinds(session) -> list[str]:
    return session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()


def _fully_invited(session, meetings: list[Meeting]) -> set[int]:
    """Every occurrence has the first one's invitees (returned), and nothing is pending."""
    people = _invited(session, meetings[0])
    assert people
    assert [_invited(session, m) for m in meetings[1:]] == [people] * (len(meetings) - 1)
    assert _pending(session) == 0
    return people


def test_the_first_occurrence_is_invited_at_once_and_the_others_by_the_worker(
    app, login_as, world, session
):
    coordinator = login_as(world.coordinator_gb)
    _schedule(coordinator, world)
    first, *later = _meetings(session)
    people = _invited(session, first)
    assert {world.member_cl.id, world.member_gb.id} <= people
    assert [_invited(session, m) for m in later] == [set(), set(), set()]
    assert _pending(session) == 1
    # The pages of a later occurrence say so, in the reader's language, on both views.
    assert BEING_WRITTEN in login_as(world.member_gb).get(f"/meetings/{later[0].id}").text
    assert BEING_WRITTEN_ES in login_as(world.member_cl).get(f"/meetings/{later[1].id}").text
    assert BEING_WRITTEN in coordinator.get(f"/meetings/{later[2].id}/manage").text
    assert BEING_WRITTEN not in coordinator.get(f"/meetings/{first.id}/manage").text
    assert _mail_kinds(session) == []

    assert worker_first_step(app) == 2  # the series' invitation mails, its later invitations

    assert _fully_invited(session, _meetings(session)) == people
    shown = coordinator.get(f"/meetings/{later[0].id}/manage").text  # no longer stale
    assert BEING_WRITTEN not in shown and "Emily Clarke" in shown
    assert _mail_kinds(session) == ["meeting_invitation"] * len(people)
    assert worker_first_step(app) == 0


def test_moving_the_series_completes_it_first(login_as, world, session):
    coordinator = login_as(world.coordinator_gb)
    _schedule(coordinator, world)
    first = _meetings(session)[0]
    edit = f"/meetings/{first.id}/edit"
    data = {
        "title_en": "Weekly call",
        "title_es": "Llamada semanal",
        "start_local": "2030-01-08T15:00",
        "end_local": "2030-01-08T16:00",
        "timezone": "Europe/London",
        "tlp": "amber",
        "scope": "following",
    }
    assert post(coordinator, edit, data, token_from=edit).status_code == 302
    meetings = _meetings(session)
    assert [m.starts_at.hour for m in meetings] == [15] * 4
    _fully_invited(session, meetings)


def test_a_reply_for_the_following_meetings_through_the_mail_link_completes_first(
    app, world, session, login_as
):
    _schedule(login_as(world.coordinator_gb), world)
    with app.app_context():  # the worker has written the mails, not the later invitations yet
        assert pending.mail_one_pending(db.session)
    mail = session.scalar(
        select(OutboxMessage).where(OutboxMessage.recipient == world.member_cl.email)
    )
    with app.app_context():
        text = db.session.get(OutboxMessage, mail.id).body_text
    link = "/meetings/reply/" + text.split("/meetings/reply/")[1].split("?")[0]
    visitor = app.test_client()
    data = {"reply": "accepted", "following": "y"}
    assert post(visitor, link, data, token_from=link).status_code == 200
    meetings = _meetings(session)
    _fully_invited(session, meetings)
    replies = session.scalars(
        select(Invitee.reply)
        .where(Invitee.user_id == world.member_cl.id)
        .order_by(Invitee.meeting_id)
    ).all()
    assert replies == [Reply.ACCEPTED] * 4


def test_cancelling_one_occurrence_completes_first_and_tells_its_invitees(login_as, world, session):
    coordinator = login_as(world.coordinator_gb)
    _schedule(coordinator, world)
    meetings = _meetings(session)
    third = meetings[2]
    page = f"/meetings/{third.id}/manage"
    data = {"scope": "this", "confirmed": "1"}
    assert (
        post(coordinator, f"/meetings/{third.id}/cancel", data, token_from=page).status_code == 302
    )
    meetings = _meetings(session)
    assert meetings[2].status == MeetingStatus.CANCELLED
    people = _fully_invited(session, meetings)
    # The pending invitations went first, then the cancellation, to the same people.
    invitations, cancellations = ["meeting_invitation"], ["meeting_cancellation"]
    assert _mail_kinds(session) == invitations * len(people) + cancellations * len(people)


def test_adding_a_person_to_a_later_occurrence_completes_first(login_as, world, session):
    newcomer = make_user(session, world.gb, name="Zoe Newcomer")
    session.commit()
    coordinator = login_as(world.coordinator_gb)
    _schedule(coordinator, world)
    second = _meetings(session)[1]
    page = f"/meetings/{second.id}/manage"
    data = {"invitee-user_id": newcomer.id}
    assert (
        post(coordinator, f"/meetings/{second.id}/invitees", data, token_from=page).status_code
        == 302
    )
    meetings = _meetings(session)
    first_people = _invited(session, meetings[0])
    assert _invited(session, meetings[1]) == first_people | {newcomer.id}
    assert [_invited(session, m) for m in meetings[2:]] == [first_people] * 2
    assert _pending(session) == 0


@pytest.mark.usefixtures("postgres_only")
def test_two_workers_copy_each_series_once(app, login_as, world, session):
    coordinator = login_as(world.coordinator_gb)
    for _ in range(3):
        _schedule(coordinator, world, count=5)
    assert _pending(session) == 3
    errors, done = [], {}
    start = threading.Barrier(2)

    def worker(name: str) -> None:
        try:
            with app.app_context():
                start.wait(timeout=30)
                done[name] = before_sending(db.session)
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert done["one"] + done["two"] == 6  # each series' mails and later invitations, once
    assert len(_mail_kinds(session)) == 3 * len(_invited(session, _meetings(session)[0]))
    meetings = _meetings(session)
    for series_id in {m.series_id for m in meetings}:
        _fully_invited(session, [m for m in meetings if m.series_id == series_id])

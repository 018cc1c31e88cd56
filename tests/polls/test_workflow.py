"""Proposing times, answering from the page, the answers by delegation, picking a time
(which schedules exactly one meeting with its invitations) and cancelling."""

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from portal.meetings.models import Invitee, Meeting
from portal.notifications.models import OutboxMessage
from portal.polls.models import Answer, Poll, PollAnswer, PollStatus
from tests.conftest import post
from tests.helpers.notifications import worker_first_step
from tests.helpers.polls import days_ahead, make_poll, poll_form
from tests.helpers.working_hours import keep_demo_hours


def _count(session, model, *where):
    return session.scalar(select(func.count()).select_from(model).where(*where))


def _kinds(session) -> list[str]:
    return sorted(session.scalars(select(OutboxMessage.kind)))


def test_a_coordinator_proposes_times_and_the_members_are_asked(login_as, world, session):
    browser = login_as(world.coordinator_gb)
    path = f"/working-groups/{world.group.id}/polls/new"
    assert "Propose times" in browser.get(path).get_data(as_text=True)
    response = post(browser, path, poll_form(), token_from=path)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    poll = session.scalars(select(Poll)).one()
    assert len(poll.options) == 3
    assert all(o.ends_at - o.starts_at == timedelta(minutes=90) for o in poll.options)
    asked = {p.user_id for p in poll.participants}
    assert asked == {
        world.coordinator_cl.id,
        world.coordinator_gb.id,
        world.member_cl.id,
        world.member_gb.id,
    }
    assert _kinds(session) == ["poll_opened"] * 4
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Incident exercise" in page
    assert "America/Santiago" in page and "Not answered yet" in page


def test_answers_show_by_delegation_with_who_has_not_answered(login_as, world, session):
    poll = make_poll(session, world)
    first, second = poll.options
    session.commit()
    browser = login_as(world.member_gb)
    data = {f"answer-option_{first.id}": "yes", f"answer-option_{second.id}": "if_need_be"}
    response = post(browser, f"/polls/{poll.id}/answer", data, token_from=f"/polls/{poll.id}")
    assert response.status_code == 302
    stored = dict(
        session.execute(
            select(PollAnswer.option_id, PollAnswer.answer).where(
                PollAnswer.user_id == world.member_gb.id
            )
        ).all()
    )
    assert stored == {first.id: Answer.YES, second.id: Answer.IF_NEED_BE}
    # Answering again changes the answer, never adds a second one.
    data = {f"answer-option_{first.id}": "no"}
    post(browser, f"/polls/{poll.id}/answer", data, token_from=f"/polls/{poll.id}")
    assert _count(session, PollAnswer, PollAnswer.user_id == world.member_gb.id) == 2
    session.rollback()
    page = browser.get(f"/polls/{poll.id}").get_data(as_text=True)
    assert "No: Emily Clarke" in page
    assert "If need be: Emily Clarke" in page
    not_answered = page.split("Not answered yet")[1]
    assert "Javiera Soto" in not_answered and "Emily Clarke" not in not_answered.split("<h2")[0]


def test_picking_a_time_schedules_exactly_one_meeting_with_invitations(login_as, world, session):
    poll = make_poll(session, world)
    chosen = poll.options[1]
    session.commit()
    browser = login_as(world.coordinator_gb)
    response = post(
        browser,
        f"/polls/{poll.id}/pick",
        {"pick-option_id": chosen.id},
        token_from=f"/polls/{poll.id}",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    meeting = session.scalars(select(Meeting)).one()
    assert response.headers["Location"] == f"/meetings/{meeting.id}"
    assert (meeting.starts_at, meeting.ends_at) == (chosen.starts_at, chosen.ends_at)
    assert meeting.title_en == poll.title_en and meeting.title_es == poll.title_es
    assert meeting.timezone == poll.timezone
    assert _count(session, Invitee, Invitee.meeting_id == meeting.id) == 4
    session.expire_all()
    assert poll.status == PollStatus.CLOSED and poll.meeting_id == meeting.id
    assert [o.is_chosen for o in poll.options] == [False, True]
    # The same invitation mails (with their calendar) as scheduling directly, and the outcome.
    worker_first_step(browser.application)  # the outbox worker writes the invitations
    invitations = session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "meeting_invitation")
    ).all()
    assert len(invitations) == 4 and all(m.ics_method == "REQUEST" for m in invitations)
    assert _kinds(session).count("poll_closed") == 4
    # Picking again does nothing more: the poll is closed.
    again = post(
        browser,
        f"/polls/{poll.id}/pick",
        {"pick-option_id": chosen.id},
        token_from=f"/polls/{poll.id}",
    )
    assert again.status_code == 409
    assert _count(session, Meeting) == 1


def test_an_expired_poll_refuses_answers_but_may_still_be_picked(login_as, world, session):
    poll = make_poll(session, world)
    poll.expires_at = poll.created_at - timedelta(minutes=1)
    poll.expires_on = poll.expires_at.date()
    option = poll.options[0]
    session.commit()
    member = login_as(world.member_gb)
    page = member.get(f"/polls/{poll.id}").get_data(as_text=True)
    assert "Expired" in page and "answers are closed" in page
    response = post(
        member,
        f"/polls/{poll.id}/answer",
        {f"answer-option_{option.id}": "yes"},
        token_from=f"/polls/{poll.id}",
    )
    assert response.status_code == 409
    assert "answers are closed" in response.get_data(as_text=True)
    assert _count(session, PollAnswer) == 0
    coordinator = login_as(world.coordinator_cl)
    response = post(
        coordinator,
        f"/polls/{poll.id}/pick",
        {"pick-option_id": option.id},
        token_from=f"/polls/{poll.id}",
    )
    assert response.status_code == 302
    assert _count(session, Meeting) == 1


def test_a_past_time_is_marked_and_cannot_be_picked(login_as, world, session):
    poll = make_poll(session, world, options=[days_ahead(-2), days_ahead(20)])
    past = poll.options[0]
    session.commit()
    browser = login_as(world.coordinator_gb)
    page = browser.get(f"/polls/{poll.id}").get_data(as_text=True)
    assert "Past</span>" in page
    before = _kinds(session)
    response = post(
        browser,
        f"/polls/{poll.id}/pick",
        {"pick-option_id": past.id},
        token_from=f"/polls/{poll.id}",
    )
    assert response.status_code == 422
    assert _count(session, Meeting) == 0 and _kinds(session) == before
    session.refresh(poll)
    assert poll.status == PollStatus.OPEN


def test_cancelling_asks_first_then_closes_and_tells_the_people_asked(login_as, world, session):
    poll = make_poll(session, world)
    session.commit()
    browser = login_as(world.coordinator_gb)
    asked = browser.get(f"/polls/{poll.id}/cancel")
    assert asked.status_code == 200
    text = asked.get_data(as_text=True)
    assert "Cancel this poll?" in text and "4 people will be mailed" in text
    unconfirmed = post(browser, f"/polls/{poll.id}/cancel", {}, token_from=f"/polls/{poll.id}")
    assert unconfirmed.status_code == 200
    session.refresh(poll)
    assert poll.status == PollStatus.OPEN and _kinds(session) == []
    done = post(
        browser, f"/polls/{poll.id}/cancel", {"confirmed": "1"}, token_from=f"/polls/{poll.id}"
    )
    assert done.status_code == 302
    session.refresh(poll)
    assert poll.status == PollStatus.CANCELLED
    assert _kinds(session) == ["poll_cancelled"] * 4
    page = browser.get(f"/polls/{poll.id}").get_data(as_text=True)
    assert "Cancelled" in page


def test_dashboard_shows_polls_waiting_for_an_answer(login_as, world, session):
    poll = make_poll(session, world)
    session.commit()
    browser = login_as(world.member_gb)
    page = browser.get("/").get_data(as_text=True)
    assert "1 poll waits for your answer" in page and f"/polls/{poll.id}" in page
    option = poll.options[0]
    post(
        browser,
        f"/polls/{poll.id}/answer",
        {f"answer-option_{option.id}": "yes"},
        token_from=f"/polls/{poll.id}",
    )
    assert "poll waits for your answer" not in browser.get("/").get_data(as_text=True)
    # An observer is never asked.
    observer = login_as(world.observer_gb)
    assert "poll waits" not in observer.get("/").get_data(as_text=True)


def test_the_poll_page_speaks_spanish_with_times_in_the_readers_zone(login_as, world, session):
    poll = make_poll(session, world)
    session.commit()
    page = login_as(world.member_cl).get(f"/polls/{poll.id}").get_data(as_text=True)
    assert "Planificación del ejercicio" in page
    assert "Aún sin responder" in page and "Sus respuestas" in page
    assert "Las respuestas se cierran al final del" in page
    # Each proposed time on the poll's clock and on both parties' clocks.
    assert "(America/Santiago)" in page and "Londres" in page


def test_picking_a_time_on_a_holiday_asks_first_and_schedules_nothing_until_ticked(
    login_as, world, session, clock_before_2026
):
    keep_demo_hours(session, world.cl, world.gb)
    # Friday 18 September 2026, 10:00 in Santiago: Independence Day in Chile.
    holiday = datetime(2026, 9, 18, 13, 0, tzinfo=UTC)
    poll = make_poll(session, world, options=[holiday, holiday + timedelta(days=3)])
    session.commit()
    browser = login_as(world.coordinator_gb)
    path = f"/polls/{poll.id}"
    response = post(
        browser, f"{path}/pick", {"pick-option_id": poll.options[0].id}, token_from=path
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Friday 18 September is Independence Day in Chile." in page
    assert _count(session, Meeting) == 0 and "meeting_invitation" not in _kinds(session)
    question = re.search(r'name="pick-off_hours_question" type="hidden" value="(\w+)"', page)

    response = post(
        browser,
        f"{path}/pick",
        {
            "pick-option_id": poll.options[0].id,
            "pick-confirm_off_hours": "y",
            "pick-off_hours_question": question.group(1),
        },
        token_from=path,
    )
    assert response.status_code == 302
    assert session.scalars(select(Meeting)).one().starts_at == holiday

"""Bad input on every poll form: refused with a clear message, nothing written."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from portal.core.errors import ValidationError
from portal.polls import services
from portal.polls.models import Poll, PollAnswer
from tests.conftest import csrf_token, post
from tests.helpers.bad_input import EMPTY, LONG, changed_tables, check_form, shown_errors, snapshot
from tests.helpers.polls import ZONE, days_ahead, local, make_poll, poll_form

# Which input a form refuses, and that it writes nothing, does not depend on the backend:
# run once, on PostgreSQL when it answers (ONE_BACKEND, tests/conftest.py), which also
# enforces the columns' lengths, so that the suite's time goes where the backends differ.
pytestmark = pytest.mark.one_backend

# Yesterday on the poll's own clock (the answers close at the end of a day in its zone):
# near midnight UTC, the UTC date's yesterday is still today in Santiago.
YESTERDAY = (datetime.now(ZoneInfo(ZONE)) - timedelta(days=1)).date().isoformat()
TWO_TIMES = "Propose from two to six times."


def test_proposing_times_refuses_bad_input_and_writes_nothing(login_as, world, session):
    browser = login_as(world.coordinator_gb)
    path = f"/working-groups/{world.group.id}/polls/new"
    first = poll_form()["start_1"]
    cases = [
        (EMPTY, {}, "This field is required."),
        ("one time only", {"start_2": "", "start_3": ""}, TWO_TIMES),
        ("no time", {"start_1": "", "start_2": "", "start_3": ""}, TWO_TIMES),
        ("the same time twice", {"start_2": first}, "This time is proposed twice."),
        (
            "a past time",
            {"start_2": local(days_ahead(-1))},
            "This time is already past: propose times to come.",
        ),
        (
            "answers closing yesterday",
            {"expires_on": YESTERDAY},
            "The answers must close today or later.",
        ),
        (
            "ends before it starts",
            {"duration_minutes": "-30"},
            "A meeting lasts from 15 minutes to 24 hours: it must end after it starts.",
        ),
        ("not a duration", {"duration_minutes": "an hour"}, "Not a valid integer value."),
        ("not a date", {"expires_on": "tomorrow"}, "Enter the date as YYYY-MM-DD."),
        ("not a time", {"start_1": "soon"}, "Enter the date and time as YYYY-MM-DD HH:MM."),
        ("year 1900", {"start_1": "1900-01-01T10:00"}, "Enter a date between 1945 and 2200."),
        ("a zone from nowhere", {"timezone": "Mars/Olympus"}, "Choose a time zone from the list."),
        ("a long title", {"title_en": LONG}, "Use at most 300 characters."),
        ("a title on two lines", {"title_es": "a\r\nb"}, "Use a single line of plain text."),
        (
            "a skipped hour",
            {"start_1": "2027-09-05T00:30"},
            "5 Sep 2027 00:30 does not exist in America/Santiago: the clocks skip that hour "
            "for daylight saving time. Choose another time.",
        ),
        (
            "a time that happens twice",
            {"start_1": "2027-04-03T23:30"},
            "On that day the clocks go back: 23:30 happens twice in America/Santiago. "
            "Choose which one you mean.",
        ),
        ("a forged TLP", {"tlp": "purple"}, "Choose one of the options in the list."),
    ]
    written = check_form(session, browser, path, poll_form(), cases)
    assert "polls" in written


def test_the_twice_happening_time_is_taken_once_answered(login_as, world, session):
    browser = login_as(world.coordinator_gb)
    path = f"/working-groups/{world.group.id}/polls/new"
    response = post(
        browser, path, poll_form(start_1="2027-04-03T23:30", fold_1="1"), token_from=path
    )
    assert response.status_code == 302, shown_errors(response)
    poll = session.scalars(select(Poll)).one()
    # The second 23:30 of 3 April 2027 in Santiago is at UTC-4: 03:30 UTC on the 4th.
    assert poll.options[-1].starts_at == datetime(2027, 4, 4, 3, 30, tzinfo=UTC)


def test_more_than_six_times_are_refused(app, world, session):
    starts = {
        f"start_{n}": datetime.combine(date.today(), datetime.min.time()) + timedelta(days=20 + n)
        for n in range(1, 8)
    }
    details = services.PollDetails(
        title_en="Too many",
        title_es="Demasiadas",
        timezone="Europe/London",
        duration_minutes=60,
        expires_on=date.today() + timedelta(days=3),
        starts_local=starts,
    )
    with app.test_request_context(), pytest.raises(ValidationError, match="two to six"):
        services.propose_times(session, world.coordinator_gb, world.group, details)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Poll)) == 0


def test_answers_and_picks_refuse_bad_input(login_as, world, session):
    poll = make_poll(session, world)
    session.commit()
    page = f"/polls/{poll.id}"
    member = login_as(world.member_gb)
    for data, message in (
        ({}, "Answer for at least one of the times."),
        (
            {f"answer-option_{poll.options[0].id}": "perhaps"},
            "Choose one of the options in the list.",
        ),
    ):
        before = snapshot(session)
        response = member.post(
            f"/polls/{poll.id}/answer", data={"csrf_token": csrf_token(member, page), **data}
        )
        assert response.status_code == 422
        assert message in shown_errors(response), shown_errors(response)
        assert changed_tables(before, snapshot(session)) == []
    coordinator = login_as(world.coordinator_gb)
    for data, message in (
        ({}, "Choose one of the proposed times."),
        ({"pick-option_id": "987654"}, "Choose one of the options in the list."),
        ({"pick-option_id": "x"}, "Choose one of the proposed times."),
    ):
        before = snapshot(session)
        response = coordinator.post(
            f"/polls/{poll.id}/pick", data={"csrf_token": csrf_token(coordinator, page), **data}
        )
        assert response.status_code == 422, data
        assert message in shown_errors(response), shown_errors(response)
        assert changed_tables(before, snapshot(session)) == []
    assert session.scalar(select(func.count()).select_from(PollAnswer)) == 0

"""Every training form refuses bad input with 422, a clear message, and no write at all."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.trainings.models import Registration, RegistrationStatus, Training
from tests import factories
from tests.conftest import post
from tests.helpers.bad_input import CHOOSE, EMPTY, LONG, check_post, shown_errors
from tests.helpers.trainings import LATER, REGISTRATION, in_days, training_form

# Which input a form refuses, and that it writes nothing, does not depend on the backend:
# run once, on PostgreSQL when it answers (ONE_BACKEND, tests/conftest.py), which also
# enforces the columns' lengths, so that the suite's time goes where the backends differ.
pytestmark = pytest.mark.one_backend

SEATS = "Enter a number of seats from 1 to 10000."


def _training_cases(world):
    later = LATER  # the day of training_form's start: a day taken now is not it after midnight
    day, next_day = later.strftime("%Y-%m-%d"), (later + timedelta(days=1)).strftime("%Y-%m-%d")
    return [
        (EMPTY, {}, "Write the title in English, in Spanish or in both."),
        ("negative capacity", {"capacity": "-5"}, SEATS),
        ("zero capacity", {"capacity": "0"}, SEATS),
        ("huge capacity", {"capacity": "10000000"}, SEATS),
        ("capacity in words", {"capacity": "ten"}, "Not a valid integer value."),
        (
            "deadline after the start",
            {"registration_closes_local": f"{next_day}T09:00"},
            "Registration must close before the training starts.",
        ),
        (
            "end before start",
            {"end_local": f"{day}T09:00"},
            "The training must end after it starts.",
        ),
        (
            "three weeks long",
            {"end_local": (later + timedelta(days=21)).strftime("%Y-%m-%dT10:00")},
            "A training lasts at most 14 days.",
        ),
        (
            "unknown audience",
            {"audience": "everyone"},
            "Choose public, private or both as the audience.",
        ),
        ("unknown format", {"format": "telepathy"}, "Choose in person, online or hybrid."),
        ("unknown language", {"language": "fr"}, "Choose a language."),
        ("zone on Mars", {"timezone": "Mars/Olympus"}, "Choose a time zone from the list."),
        (
            "a local time that does not exist",
            {
                "start_local": "2026-09-06T00:30",
                "end_local": "2026-09-06T03:00",
                "registration_closes_local": "2026-09-01T10:00",
            },
            "6 Sep 2026 00:30 does not exist in America/Santiago: the clocks skip that hour "
            "for daylight saving time. Choose another time.",
        ),
        (
            "date in 1900",
            {"start_local": "1900-01-01T10:00"},
            "Enter a date between 1945 and 2200.",
        ),
        (
            "date in words",
            {"start_local": "next Monday"},
            "Enter the date and time as YYYY-MM-DD HH:MM.",
        ),
        (
            "javascript link",
            {"link": "javascript:alert(1)"},
            "Enter a web address starting with https://.",
        ),
        ("online without a link", {"link": ""}, "Give the link of a training held online."),
        (
            "in person without a venue",
            {"format": "in_person"},
            "Give the venue of a training held in person.",
        ),
        (
            "CR/LF in the title",
            {"title_en": "Course\r\nBcc: x@evil.example"},
            "Use a single line of plain text.",
        ),
        ("long title", {"title_es": LONG}, "Use at most 300 characters."),
        ("long trainers", {"trainers": LONG}, "Use at most 500 characters."),
        ("group of another MoU", {"working_group_id": str(world.group_cl_co.id)}, CHOOSE),
        ("group not a number", {"working_group_id": "../../etc/passwd"}, CHOOSE),
    ]


def test_the_new_training_form(world, session, login_as):
    browser = login_as(world.coordinator_gb)
    page = f"/mous/{world.mou.id}/trainings/new"
    check_post(session, browser, page, page, training_form("Valid course"), _training_cases(world))


def test_the_edit_training_form(world, session, login_as, training):
    browser = login_as(world.coordinator_gb)
    page = f"/trainings/{training.id}/edit"
    check_post(session, browser, page, page, training_form("Valid course"), _training_cases(world))


def test_capacity_cannot_go_below_the_seats_taken(world, session, login_as, training):
    factories.make_registration(session, training, world.member_cl)
    factories.make_registration(session, training, world.member_gb)
    session.commit()
    browser = login_as(world.coordinator_gb)
    page = f"/trainings/{training.id}/edit"
    check_post(
        session,
        browser,
        page,
        page,
        {**training_form("Smaller course"), "capacity": "2"},
        [
            (
                "one seat",
                {"capacity": "1"},
                "2 people already have a seat: the capacity cannot be lower.",
            )
        ],
    )


def test_the_registration_form(world, session, login_as, training):
    browser = login_as(world.member_gb)
    page = f"/trainings/{training.id}"
    check_post(
        session,
        browser,
        f"{page}/register",
        page,
        REGISTRATION,
        [
            (EMPTY, {}, "This field is required."),
            (
                "unknown sector",
                {"sector": "government"},
                "Choose public, private, academia or other as the sector.",
            ),
            (
                "no sector",
                {"sector": ""},
                "Choose public, private, academia or other as the sector.",
            ),
            ("long organisation", {"organisation": LONG}, "Use at most 200 characters."),
            ("CR/LF organisation", {"organisation": "A\r\nB"}, "Use a single line of plain text."),
        ],
    )


def test_the_register_someone_form(world, session, login_as, training):
    browser = login_as(world.coordinator_gb)
    page = f"/trainings/{training.id}/register-person"
    check_post(
        session,
        browser,
        page,
        page,
        {**REGISTRATION, "user_id": str(world.member_gb.id)},
        [
            (EMPTY, {}, "This field is required."),
            ("other party's person", {"user_id": str(world.member_cl.id)}, CHOOSE),
            ("person outside the MoU", {"user_id": str(world.member_co.id)}, CHOOSE),
            ("an observer", {"user_id": str(world.observer_gb.id)}, CHOOSE),
            ("not a number", {"user_id": "me"}, CHOOSE),
            (
                "unknown sector",
                {"sector": "army"},
                "Choose public, private, academia or other as the sector.",
            ),
        ],
    )


def test_the_invitation_form(world, session, login_as, training):
    browser = login_as(world.coordinator_gb)
    page = f"/trainings/{training.id}/invite"
    check_post(
        session,
        browser,
        page,
        page,
        {"email": "analyst@bank.example", "language": "es"},
        [
            (EMPTY, {}, "This field is required."),
            ("not an address", {"email": "analyst at bank"}, "Enter a valid email address."),
            (
                "header injection",
                {"email": "a@b.example\r\nBcc: c@d.example"},
                "Enter a valid email address.",
            ),
            ("unknown language", {"language": "fr"}, "Choose English or Spanish."),
            (
                "a delegation account",
                {"email": world.member_cl.email},
                "This address belongs to a delegation account: register the person instead.",
            ),
        ],
    )


def test_the_attendance_form(world, session, login_as):
    started = factories.make_training(session, world.mou, in_days(0) - timedelta(hours=1))
    seat = factories.make_registration(session, started, world.member_cl)
    factories.make_registration(session, started, world.member_gb, RegistrationStatus.WAITLISTED)
    session.commit()
    browser = login_as(world.coordinator_gb)
    check_post(
        session,
        browser,
        f"/trainings/{started.id}/attendance",
        f"/trainings/{started.id}/roster",
        {f"registration_{seat.id}": "present"},
        [
            ("unknown mark", {f"registration_{seat.id}": "asleep"}, CHOOSE),
        ],
    )


def test_attendance_waits_for_the_start(world, session, login_as, training):
    seat = factories.make_registration(session, training, world.member_cl)
    session.commit()
    browser = login_as(world.coordinator_gb)
    response = post(
        browser,
        f"/trainings/{training.id}/attendance",
        {f"registration_{seat.id}": "present"},
        token_from=f"/trainings/{training.id}/roster",
    )
    assert response.status_code == 422
    assert "Attendance can be recorded once the training has started." in shown_errors(response)
    session.rollback()
    assert session.get(Registration, seat.id).attendance is None


def test_a_start_that_happens_twice_is_asked_about_never_guessed(world, session, login_as):
    browser = login_as(world.coordinator_gb)
    page = f"/mous/{world.mou.id}/trainings/new"
    data = {
        **training_form("Night course"),
        "start_local": "2027-04-03T23:30",
        "end_local": "2027-04-04T02:00",
        "registration_closes_local": "2027-04-01T10:00",
    }
    response = post(browser, page, data, token_from=page)
    assert response.status_code == 422
    assert any("happens twice in America/Santiago" in e for e in shown_errors(response))
    assert "The first time (UTC−03:00)" in response.get_data(as_text=True)
    response = post(browser, page, {**data, "start_fold": "1"}, token_from=page)
    assert response.status_code == 302
    session.rollback()
    training = session.scalar(select(Training).where(Training.title_en == "Night course"))
    assert training.starts_at == datetime(2027, 4, 4, 3, 30, tzinfo=UTC)

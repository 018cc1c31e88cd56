"""Seats and the waiting list: order kept, promotion on cancellation (not after the start),
a promoted person mailed once, registration closed after the deadline."""

from datetime import timedelta

from sqlalchemy import select

from portal.trainings.models import Registration, RegistrationStatus
from portal.trainings.registrations import fill_free_seats
from tests import factories
from tests.conftest import post
from tests.helpers.bad_input import changed_tables, shown_errors, snapshot
from tests.helpers.trainings import (
    REGISTRATION,
    in_days,
    mails,
    registrations,
    training_form,
)

CONFIRMED, WAITING, CANCELLED = "confirmed", "waitlisted", "cancelled"


def _register(login_as, person, training, **changes):
    page = f"/trainings/{training.id}"
    browser = login_as(person)
    response = post(browser, f"{page}/register", {**REGISTRATION, **changes}, token_from=page)
    return browser, response


def _cancel_own(browser, training):
    page = f"/trainings/{training.id}"
    return post(browser, f"{page}/registration/cancel", {"confirmed": "1"}, token_from=page)


def _five_people(world):
    return [
        world.member_cl,
        world.member_gb,
        world.coordinator_cl,
        world.coordinator_gb,
        world.member_cl_outside_group,
    ]


def test_seats_then_the_waiting_list_in_the_order_asked(world, session, login_as, training):
    for person in _five_people(world):
        _, response = _register(login_as, person, training)
        assert response.status_code == 302
    assert registrations(session, training) == {
        world.member_cl.email: (CONFIRMED, 1),
        world.member_gb.email: (CONFIRMED, 2),
        world.coordinator_cl.email: (WAITING, 3),
        world.coordinator_gb.email: (WAITING, 4),
        world.member_cl_outside_group.email: (WAITING, 5),
    }
    assert [m.recipient for m in mails(session, "training_confirmed")] == [
        world.member_cl.email,
        world.member_gb.email,
    ]
    waiting = mails(session, "training_waitlisted")
    assert [m.recipient for m in waiting] == [
        world.coordinator_cl.email,
        world.coordinator_gb.email,
        world.member_cl_outside_group.email,
    ]
    # coordinator_gb reads English: their mail names their place.
    assert "you are number 2 on the waiting list" in waiting[1].body_text


def test_a_freed_seat_goes_to_the_first_waiting_who_is_mailed_once(
    world, session, login_as, training
):
    browsers = {}
    for person in _five_people(world):
        browsers[person.email], _ = _register(login_as, person, training)
    # The third on the list gives up first: nobody moves up for a place on the list.
    assert _cancel_own(browsers[world.member_cl_outside_group.email], training).status_code == 302
    assert mails(session, "training_promoted") == []
    # A seat is freed: the first waiting (coordinator_cl) takes it, the next one waits on.
    member_gb = browsers[world.member_gb.email]
    assert _cancel_own(member_gb, training).status_code == 302
    assert _cancel_own(member_gb, training).status_code == 302  # twice: nothing more happens
    state = registrations(session, training)
    assert state[world.coordinator_cl.email][0] == CONFIRMED
    assert state[world.coordinator_gb.email][0] == WAITING
    assert state[world.member_gb.email][0] == CANCELLED
    promoted = mails(session, "training_promoted")
    assert [m.recipient for m in promoted] == [world.coordinator_cl.email]
    assert promoted[0].ics_method == "REQUEST"
    # The next seat freed goes to the next in line; the first promoted is not mailed again.
    assert _cancel_own(browsers[world.member_cl.email], training).status_code == 302
    assert [m.recipient for m in mails(session, "training_promoted")] == [
        world.coordinator_cl.email,
        world.coordinator_gb.email,
    ]
    assert len(mails(session, "training_registration_cancelled")) == 3


def test_nobody_is_promoted_once_the_training_has_started(world, session, login_as):
    started = factories.make_training(session, world.mou, in_days(0) - timedelta(minutes=30))
    started.capacity = 1
    factories.make_registration(session, started, world.member_cl)
    factories.make_registration(session, started, world.member_gb, RegistrationStatus.WAITLISTED)
    session.commit()
    browser = login_as(world.member_cl)
    # A started training's places are kept (issue 13 item 4): nothing is freed by a person...
    assert _cancel_own(browser, started).status_code == 409
    # ...and a seat freed otherwise (a larger room) goes to nobody.
    started.capacity = 2
    assert fill_free_seats(session, started) == []
    session.commit()
    assert registrations(session, started) == {
        world.member_cl.email: (CONFIRMED, 1),
        world.member_gb.email: (WAITING, 2),
    }
    assert mails(session, "training_promoted") == []


def test_registration_closes_after_the_deadline_with_a_clear_message(world, session, login_as):
    closed = factories.make_training(
        session, world.mou, in_days(3), registration_closes_at=in_days(-1)
    )
    session.commit()
    browser = login_as(world.member_gb)
    page = f"/trainings/{closed.id}"
    before = snapshot(session)
    response = post(browser, f"{page}/register", REGISTRATION, token_from=page)
    assert response.status_code == 422
    [message] = shown_errors(response)
    assert message.startswith("Registration closed on ") and "(Europe/London)" in message
    assert changed_tables(before, snapshot(session)) == []
    page = browser.get(f"/trainings/{closed.id}").get_data(as_text=True)
    assert (
        "Registration closed on" in page
        and 'action="/trainings/' not in page.split("Your registration")[1].split("</section>")[0]
    )


def test_a_cancelled_training_takes_no_registrations(world, session, login_as, training):
    _register(login_as, world.member_cl, training)
    coordinator = login_as(world.coordinator_gb)
    page = f"/trainings/{training.id}"
    assert (
        post(coordinator, f"{page}/cancel", {"confirmed": "1"}, token_from=page).status_code == 302
    )
    _, response = _register(login_as, world.member_gb, training)
    assert response.status_code == 422
    assert shown_errors(response) == ["This training has been cancelled."]
    [cancelled] = mails(session, "training_cancelled")
    assert cancelled.recipient == world.member_cl.email and cancelled.ics_method == "CANCEL"


def test_raising_the_capacity_seats_the_waiting_in_order(world, session, login_as, training):
    for person in _five_people(world):
        _register(login_as, person, training)
    coordinator = login_as(world.coordinator_gb)
    page = f"/trainings/{training.id}/edit"
    form = coordinator.get(page).get_data(as_text=True)
    assert 'value="2"' in form
    response = post(
        coordinator, page, {**training_form("Bigger course"), "capacity": "4"}, token_from=page
    )
    assert response.status_code == 302
    state = registrations(session, training)
    assert [email for email, (status, _) in state.items() if status == CONFIRMED] == [
        world.member_cl.email,
        world.member_gb.email,
        world.coordinator_cl.email,
        world.coordinator_gb.email,
    ]
    assert [m.recipient for m in mails(session, "training_promoted")] == [
        world.coordinator_cl.email,
        world.coordinator_gb.email,
    ]


def test_someone_who_comes_back_joins_the_end_of_the_queue(world, session, login_as, training):
    training.capacity = 1
    session.commit()
    first, _ = _register(login_as, world.member_cl, training)
    _register(login_as, world.member_gb, training)
    _register(login_as, world.coordinator_gb, training)
    waiting_browser = login_as(world.member_gb)
    _cancel_own(waiting_browser, training)
    _, response = _register(login_as, world.member_gb, training)
    assert response.status_code == 302
    state = registrations(session, training)
    assert state[world.member_gb.email] == (WAITING, 4)
    _cancel_own(first, training)
    assert registrations(session, training)[world.coordinator_gb.email][0] == CONFIRMED


def test_registering_twice_is_refused(world, session, login_as, training):
    _register(login_as, world.member_gb, training)
    _, response = _register(login_as, world.member_gb, training)
    assert response.status_code == 422
    assert shown_errors(response) == [f"{world.member_gb.name} is already registered."]
    session.rollback()
    count = session.scalars(select(Registration).where(Registration.training_id == training.id))
    assert len(count.all()) == 1


def test_a_coordinator_registers_and_cancels_people_of_their_own_party(
    world, session, login_as, training
):
    coordinator = login_as(world.coordinator_gb)
    page = f"/trainings/{training.id}/register-person"
    choices = coordinator.get(page).get_data(as_text=True)
    assert world.member_gb.name in choices and world.member_cl.name not in choices
    data = {**REGISTRATION, "user_id": str(world.member_gb.id), "sector": "academia"}
    assert post(coordinator, page, data, token_from=page).status_code == 302
    session.rollback()
    registration = session.scalar(select(Registration))
    assert registration.user_id == world.member_gb.id
    assert registration.registered_by_id == world.coordinator_gb.id
    assert registration.sector.value == "academia"
    roster = f"/trainings/{training.id}/roster"
    assert world.member_gb.name in coordinator.get(roster).get_data(as_text=True)
    cancel = f"/trainings/{training.id}/registrations/{registration.id}/cancel"
    assert post(coordinator, cancel, {"confirmed": "1"}, token_from=roster).status_code == 302
    assert registrations(session, training)[world.member_gb.email][0] == CANCELLED


def test_attendance_is_recorded_on_the_roster(world, session, login_as):
    started = factories.make_training(session, world.mou, in_days(0) - timedelta(hours=2))
    seats = [
        factories.make_registration(session, started, person)
        for person in (world.member_cl, world.member_gb, world.coordinator_gb)
    ]
    session.commit()
    coordinator = login_as(world.coordinator_gb)
    roster = f"/trainings/{started.id}/roster"
    marks = dict(zip(seats, ("present", "partial", "absent"), strict=True))
    data = {f"registration_{r.id}": mark for r, mark in marks.items()}
    assert post(coordinator, f"/trainings/{started.id}/attendance", data, roster).status_code == 302
    session.rollback()
    assert {session.get(Registration, r.id).attendance.value for r in seats} == {
        "present",
        "partial",
        "absent",
    }
    # Back to "not recorded" for one of them.
    data[f"registration_{seats[2].id}"] = ""
    post(coordinator, f"/trainings/{started.id}/attendance", data, roster)
    session.rollback()
    assert session.get(Registration, seats[2].id).attendance is None

"""The feedback survey: one answer per attendee after the session, ratings 1 to 5 only, and
the aggregate for the training's managers."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.core.db import utcnow
from portal.trainings.feedback import TrainingFeedback
from portal.trainings.models import AttendanceMark, RegistrationStatus
from tests.conftest import post
from tests.helpers.training_followup import make_training, register


@pytest.fixture
def training(world, session):
    training = make_training(session, world.mou)
    register(session, training, world.member_gb, attendance=AttendanceMark.PRESENT)
    register(session, training, world.coordinator_gb, attendance=AttendanceMark.PARTIAL)
    register(session, training, world.member_cl, attendance=AttendanceMark.ABSENT)
    register(session, training, world.external_cl, status=RegistrationStatus.WAITLISTED)
    session.commit()
    return training


def _answers(session) -> list[tuple[int, str]]:
    session.rollback()
    return session.execute(select(TrainingFeedback.rating, TrainingFeedback.comments)).all()


def _give(browser, training, rating, comments=""):
    return post(
        browser,
        f"/trainings/{training.id}/feedback",
        {"rating": rating, "comments": comments},
    )


def test_an_attendee_gives_feedback_once(training, world, login_as, session):
    browser = login_as(world.member_gb)
    form = browser.get(f"/trainings/{training.id}/feedback").get_data(as_text=True)
    assert 'name="rating"' in form
    assert _give(browser, training, 4, "Clear and useful.").status_code == 302
    assert _answers(session) == [(4, "Clear and useful.")]
    again = _give(browser, training, 1, "Changed my mind")
    assert again.status_code == 422
    assert "You have already given your feedback on this training" in again.get_data(as_text=True)
    assert _answers(session) == [(4, "Clear and useful.")]
    page = browser.get(f"/trainings/{training.id}/feedback").get_data(as_text=True)
    assert "You rated this training 4 out of 5" in page
    assert 'name="rating"' not in page


def test_a_partial_attendee_may_answer_too(training, world, login_as, session):
    assert _give(login_as(world.coordinator_gb), training, 5).status_code == 302
    assert _answers(session) == [(5, "")]


@pytest.mark.parametrize("rating", ["0", "6", "-1", "3.5", "five", "", "99999999999999999999"])
def test_a_rating_outside_1_to_5_is_refused_and_nothing_written(
    rating, training, world, login_as, session
):
    response = _give(login_as(world.member_gb), training, rating, "x")
    assert response.status_code == 422
    assert "Choose a rating from 1 to 5." in response.get_data(as_text=True)
    assert _answers(session) == []


def test_overlong_comments_are_refused(training, world, login_as, session):
    response = _give(login_as(world.member_gb), training, 3, "x" * 4001)
    assert response.status_code == 422
    assert "Use at most 4000 characters." in response.get_data(as_text=True)
    assert _answers(session) == []


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("member_cl", 403),  # absent
        ("external_cl", 403),  # on the waiting list
        ("member_cl_outside_group", 403),  # not registered
        ("observer_gb", 403),
        ("coordinator_cl", 403),  # manages, did not attend
        ("member_co", 404),
        ("coordinator_co", 404),
    ],
)
def test_only_attendees_give_feedback(actor, status, training, world, login_as, session):
    assert _give(login_as(getattr(world, actor)), training, 5).status_code == status
    assert _answers(session) == []


def test_anonymous_visitors_are_sent_to_log_in(training, client, session):
    response = post(client, f"/trainings/{training.id}/feedback", {"rating": 5}, "/auth/login")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")
    assert _answers(session) == []


def test_feedback_waits_for_the_end_of_the_session(world, session, login_as):
    running = make_training(session, world.mou, utcnow() - timedelta(hours=1), hours=3)
    register(session, running, world.member_gb, attendance=AttendanceMark.PRESENT)
    session.commit()
    browser = login_as(world.member_gb)
    response = _give(browser, running, 5)
    assert response.status_code == 422
    assert "Feedback opens once the training has ended." in response.get_data(as_text=True)
    assert _answers(session) == []


def test_the_database_refuses_a_second_answer_and_a_rating_out_of_range(training, session):
    registration = training.registrations[0]
    session.add(TrainingFeedback(registration_id=registration.id, rating=3, comments=""))
    session.commit()
    session.add(TrainingFeedback(registration_id=registration.id, rating=4, comments=""))
    with pytest.raises(Exception, match=r"(?i)unique"):
        session.commit()
    session.rollback()
    session.add(TrainingFeedback(registration_id=training.registrations[1].id, rating=6))
    with pytest.raises(Exception, match=r"(?i)check"):
        session.commit()
    session.rollback()


def test_managers_see_count_average_distribution_and_comments(world, session, login_as, training):
    for person, rating, comments in [
        (world.member_gb, 5, "Excellent <b>labs</b>"),
        (world.coordinator_gb, 2, ""),
    ]:
        assert _give(login_as(person), training, rating, comments).status_code == 302
    session.rollback()
    expected = dict(
        session.execute(
            select(TrainingFeedback.rating, func.count()).group_by(TrainingFeedback.rating)
        ).all()
    )
    page = login_as(world.coordinator_cl).get(f"/trainings/{training.id}/feedback")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "2 respuestas" in text
    assert "Calificación promedio: 3,5 de 5" in text
    for rating in range(1, 6):
        row = f'<tr data-rating="{rating}"><th scope="row">{rating}</th>'
        assert f"{row}<td>{expected.get(rating, 0)}</td>" in text
    assert "Excellent &lt;b&gt;labs&lt;/b&gt;" in text
    attendee_view = login_as(world.member_gb).get(f"/trainings/{training.id}/feedback")
    assert "Excellent" not in attendee_view.get_data(as_text=True)

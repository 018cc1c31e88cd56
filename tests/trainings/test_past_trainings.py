"""Issue 13 item 4, for trainings: a registration cannot be cancelled once the training has
started, nor the training once it has ended; one created with a start in the past is
recorded only when confirmed."""

from datetime import timedelta

from sqlalchemy import func, select

from portal.trainings.models import Registration, RegistrationStatus, Training, TrainingStatus
from tests import factories
from tests.conftest import post
from tests.helpers.trainings import in_days, mails, training_form


def _status(session, model, row_id):
    session.rollback()
    return session.get(model, row_id).status


def test_a_registration_cannot_be_cancelled_once_the_training_has_started(world, session, login_as):
    running = factories.make_training(session, world.mou, in_days(0) - timedelta(minutes=1))
    mine = factories.make_registration(session, running, world.member_gb)
    theirs = factories.make_registration(session, running, world.member_cl)
    session.commit()
    page = f"/trainings/{running.id}"
    person = login_as(world.member_gb)
    assert "Cancel my registration" not in person.get(page).get_data(as_text=True)
    response = post(person, f"{page}/registration/cancel", {"confirmed": "1"}, token_from=page)
    assert response.status_code == 409
    assert "registrations can no longer be cancelled" in response.get_data(as_text=True)

    coordinator = login_as(world.coordinator_gb)
    roster = f"{page}/roster"
    assert "Cancel registration" not in coordinator.get(roster).get_data(as_text=True)
    cancel = f"{page}/registrations/{theirs.id}/cancel"
    assert post(coordinator, cancel, {"confirmed": "1"}, token_from=roster).status_code == 409

    assert _status(session, Registration, mine.id) == RegistrationStatus.CONFIRMED
    assert _status(session, Registration, theirs.id) == RegistrationStatus.CONFIRMED
    assert mails(session, "training_registration_cancelled") == []


def test_a_training_cannot_be_cancelled_once_it_has_ended(world, session, login_as):
    ended = factories.make_training(session, world.mou, in_days(-1), hours=3)
    running = factories.make_training(session, world.mou, in_days(0) - timedelta(hours=1))
    session.commit()
    coordinator = login_as(world.coordinator_gb)
    page = f"/trainings/{ended.id}"
    assert "Cancel the training" not in coordinator.get(page).get_data(as_text=True)
    response = post(coordinator, f"{page}/cancel", {"confirmed": "1"}, token_from=page)
    assert response.status_code == 409
    assert "This training is over" in response.get_data(as_text=True)
    assert _status(session, Training, ended.id) == TrainingStatus.SCHEDULED

    page = f"/trainings/{running.id}"  # started, not ended: still possible
    assert "Cancel the training" in coordinator.get(page).get_data(as_text=True)
    assert (
        post(coordinator, f"{page}/cancel", {"confirmed": "1"}, token_from=page).status_code == 302
    )
    assert _status(session, Training, running.id) == TrainingStatus.CANCELLED


def _past_form(title: str, **extra) -> dict:
    day = in_days(-2).strftime("%Y-%m-%d")
    before = in_days(-4).strftime("%Y-%m-%d")
    return {
        **training_form(title),
        "start_local": f"{day}T10:00",
        "end_local": f"{day}T13:00",
        "registration_closes_local": f"{before}T18:00",
        **extra,
    }


def test_a_training_with_a_past_start_is_recorded_only_when_confirmed(world, session, login_as):
    path = f"/mous/{world.mou.id}/trainings/new"
    coordinator = login_as(world.coordinator_gb)
    asked = post(coordinator, path, _past_form("Past course"), token_from=path)
    assert asked.status_code == 422
    page = asked.get_data(as_text=True)
    assert "To record a past training, tick the box" in page and 'name="record_past"' in page
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Training)) == 0

    confirmed = _past_form("Past course", record_past="y")
    assert post(coordinator, path, confirmed, token_from=path).status_code == 302
    session.rollback()
    assert session.scalars(select(Training.title_en)).all() == ["Past course"]
    assert mails(session) == []

"""The training page counts its seats in SQL and reads only the reader's own registration
(queries.read_training_page): the counts, the reader's place on the waiting list and their
registration are those of every registration, cancelled ones left out."""

from portal.trainings.models import RegistrationStatus
from tests import factories
from tests.helpers.trainings import in_days

WAITING = RegistrationStatus.WAITLISTED


def _page(browser, training) -> str:
    response = browser.get(f"/trainings/{training.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_seats_and_the_readers_place_are_counted(world, session, login_as):
    training = factories.make_training(session, world.mou, in_days(5), capacity=1)
    factories.make_registration(session, training, world.coordinator_cl)
    factories.make_registration(session, training, world.member_cl_outside_group, WAITING)
    factories.make_registration(
        session, training, world.coordinator_gb, RegistrationStatus.CANCELLED
    )
    factories.make_registration(session, training, world.member_gb, WAITING, organisation="NCSC")
    world.member_gb.language = world.member_cl.language = "en"
    session.commit()
    page = _page(login_as(world.member_gb), training)
    assert "1 of 1 taken, 2 on the waiting list" in page
    assert "You are number 2 on the waiting list." in page
    assert "NCSC" in page
    page = _page(login_as(world.member_cl), training)
    assert "1 of 1 taken, 2 on the waiting list" in page
    assert "You are number" not in page and "You have a seat" not in page
    assert "you will be placed on the waiting list" in page

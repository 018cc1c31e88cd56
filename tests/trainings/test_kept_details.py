"""The training page's kept details (trainings/details.py): a change of what they show, a
seat taken and the reader's own zone and language all show at once."""

from datetime import UTC, datetime

from tests import factories
from tests.helpers.trainings import in_days


def _page(browser, training) -> str:
    response = browser.get(f"/trainings/{training.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_change_shows_at_once(world, session, login_as):
    training = factories.make_training(session, world.mou, in_days(5), capacity=3, venue="Room A")
    world.member_gb.language = "en"
    session.commit()
    browser = login_as(world.member_gb)
    assert "Room A" in _page(browser, training)
    assert "Room A" in _page(browser, training)  # the kept details
    training.venue = "Room B"
    training.capacity = 4
    session.commit()
    page = _page(browser, training)
    assert "Room B" in page and "Room A" not in page
    assert "0 of 4 taken, 0 on the waiting list" in page


def test_a_seat_taken_shows_at_once(world, session, login_as):
    training = factories.make_training(session, world.mou, in_days(5), capacity=3)
    world.member_gb.language = "en"
    session.commit()
    browser = login_as(world.member_gb)
    assert "0 of 3 taken" in _page(browser, training)
    factories.make_registration(session, training, world.member_cl)
    session.commit()
    assert "1 of 3 taken" in _page(browser, training)


def test_each_reader_gets_their_zone_and_language(world, session, login_as):
    start = datetime(2030, 1, 8, 13, tzinfo=UTC)  # registration closes a day before
    training = factories.make_training(session, world.mou, start, title_en="Zoned")
    world.member_gb.timezone = "Europe/London"
    world.member_cl.timezone = "America/Santiago"
    world.member_gb.language = "en"
    world.member_cl.language = "es"
    session.commit()
    london = _page(login_as(world.member_gb), training)
    santiago = _page(login_as(world.member_cl), training)
    assert (
        "13:00 (Europe/London)" in london
        and "(America/Santiago)" not in london.split("Registration closes")[1].split("</dd>")[0]
    )
    assert "10:00 (America/Santiago)" in santiago and "Cierre de inscripciones" in santiago

"""The training page's kept content (trainings/page.py, details.py): a change of what it
shows, a seat taken and the reader's own zone and language all show at once; each reader's
registration, buttons and form tokens are their own."""

import re
from datetime import UTC, datetime

from tests import factories
from tests.helpers.trainings import REGISTRATION, in_days


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


def _hidden(page: str, name: str) -> str:
    match = re.search(f'name="{name}" type="hidden" value="([^"]+)"', page)
    assert match, f"no {name} on the page"
    return match.group(1)


def test_each_reader_gets_their_own_part_of_the_kept_page(world, session, login_as):
    """The content is kept once, but each reader's registration, buttons and form tokens
    are their own: another reader's never shows, and the form a reader is given posts."""
    training = factories.make_training(session, world.mou, in_days(5), capacity=3)
    factories.make_registration(session, training, world.member_gb, organisation="Org GB")
    for person in (world.member_gb, world.member_cl, world.coordinator_gb):
        person.language = "en"
    session.commit()
    holder, other = login_as(world.member_gb), login_as(world.member_cl)
    coordinator = login_as(world.coordinator_gb)
    first, second = _page(other, training), _page(other, training)  # the second one kept
    assert _hidden(first, "submission_token") != _hidden(second, "submission_token")
    assert "Org GB" not in second and f'action="/trainings/{training.id}/register"' in second
    holding = _page(holder, training)
    assert "You have a seat in this training." in holding and "Org GB" in holding
    assert "Register someone" not in holding and "Register someone" in _page(coordinator, training)
    sent = {
        "csrf_token": _hidden(second, "csrf_token"),
        "submission_token": _hidden(second, "submission_token"),
        **REGISTRATION,
    }
    response = other.post(f"/trainings/{training.id}/register", data=sent)
    assert response.status_code == 302
    assert "You have a seat in this training." in _page(other, training)

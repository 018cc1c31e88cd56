"""The trainings list's kept content (views.LIST_CONTENTS): a change shows at once, a training
over leaves the upcoming list when it ends, and no reader gets lines kept for another who
sees other trainings."""

from datetime import UTC, datetime, timedelta

import time_machine

from portal.trainings.models import TrainingStatus
from tests import factories
from tests.helpers.trainings import in_days


def _list(browser, query: str = "") -> str:
    response = browser.get(f"/trainings/{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_training_changed_or_cancelled_shows_at_once(world, session, login_as):
    training = factories.make_training(session, world.mou, in_days(5), title_en="Forensics")
    session.commit()
    browser = login_as(world.member_gb)
    assert "Forensics" in _list(browser)
    assert "Forensics" in _list(browser)  # the kept lines
    training.title_en = "Malware analysis"
    session.commit()
    page = _list(browser)
    assert "Malware analysis" in page and "Forensics" not in page
    training.status = TrainingStatus.CANCELLED
    session.commit()
    assert "Cancelled" in _list(browser)


def test_a_training_over_is_past_at_once(world, session, login_as):
    now = datetime.now(UTC).replace(microsecond=0)
    factories.make_training(
        session, world.mou, now - timedelta(minutes=20), hours=0.5, title_en="Ending soon"
    )
    session.commit()
    with time_machine.travel(now, tick=False):
        browser = login_as(world.member_gb)
        assert "Ending soon" in _list(browser)
        assert "Ending soon" not in _list(browser, "?when=past")
    with time_machine.travel(now + timedelta(minutes=15), tick=False):
        assert "Ending soon" not in _list(browser)
        past = _list(browser, "?when=past")
        assert "Ending soon" in past
        assert 'href="/trainings/?when=past" aria-current="page"' in past


def test_a_reader_of_another_mou_never_gets_the_kept_lines(world, session, login_as):
    factories.make_training(session, world.mou, in_days(5), title_en="Chile and UK only")
    for person in (world.member_gb, world.member_co):
        person.timezone = "America/Santiago"
        person.language = "en"
    session.commit()
    assert "Chile and UK only" in _list(login_as(world.member_gb))
    page = _list(login_as(world.member_co))
    assert "Chile and UK only" not in page and "No upcoming trainings." in page


def test_times_are_in_each_readers_zone(world, session, login_as):
    factories.make_training(
        session, world.mou, datetime(2030, 1, 8, 13, tzinfo=UTC), title_en="Zoned"
    )
    world.member_gb.timezone = "Europe/London"
    world.member_cl.timezone = "America/Santiago"
    world.member_cl.language = world.member_gb.language = "en"
    session.commit()
    assert "13:00 (Europe/London)" in _list(login_as(world.member_gb))
    assert "10:00 (America/Santiago)" in _list(login_as(world.member_cl))

"""The trainings list counts its lines in the statement that reads them (a window count):
the pager's total is the same on every page, and a page past the last says there is none."""

import pytest

from tests import factories
from tests.helpers.trainings import in_days


@pytest.fixture
def app_overrides() -> dict:
    return {"PAGE_SIZE": 2}


def test_every_page_knows_the_total(world, session, login_as):
    for n, title in enumerate(("Alpha course", "Beta course", "Gamma course"), start=1):
        factories.make_training(session, world.mou, in_days(n), title_en=title)
    world.member_gb.language = "en"
    session.commit()
    browser = login_as(world.member_gb)
    first = browser.get("/trainings/").get_data(as_text=True)
    assert "Alpha course" in first and "Beta course" in first and "Gamma course" not in first
    assert "Page 1 of 2" in first
    second = browser.get("/trainings/?page=2").get_data(as_text=True)
    assert "Gamma course" in second and "Page 2 of 2" in second
    beyond = browser.get("/trainings/?page=3").get_data(as_text=True)
    assert "No upcoming trainings." in beyond

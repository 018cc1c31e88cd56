"""The trainings list's kept content (views.LIST_CONTENTS) and the list kept whole for each
reader under the group pages' counter (portal/mous/kept_pages.py): a change shows at once, a
training over leaves the upcoming list when it ends, and no reader gets lines kept for another
who sees other trainings."""

import re
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
import time_machine

from portal.main.kept_pages import GENERATION
from portal.mous.kept_pages import PAGES
from portal.trainings.models import TrainingStatus
from portal.trainings.views import LIST_CONTENTS
from tests import factories
from tests.helpers.statements import assert_kept, count_statements, tables_raising, tables_read
from tests.helpers.trainings import in_days

# The navigation bar's token is signed with the second.
CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="[^"]*"')
QUERIES = ("", "?when=past", "?page=2")


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


def _masked(browser, query: str = "") -> str:
    return CSRF.sub("", _list(browser, query))


@pytest.mark.parametrize("reader", ["member_gb", "coordinator_gb", "external_cl"])
def test_a_kept_list_is_found_in_one_statement_and_is_the_list_made_anew(
    app, world, session, login_as, reader
):
    factories.make_training(session, world.mou, in_days(5), title_en="Upcoming course")
    factories.make_training(session, world.mou, in_days(-5), title_en="Past course")
    session.commit()
    browser = login_as(getattr(world, reader))
    _list(browser)  # the first page after logging in is not kept
    for query in QUERIES:
        assert_kept(app, partial(_masked, browser, query), PAGES.name, LIST_CONTENTS.name)


@pytest.mark.parametrize("reader", ["member_gb", "coordinator_gb", "external_cl"])
def test_every_table_the_list_reads_raises_its_counter(app, world, session, login_as, reader):
    factories.make_training(session, world.mou, in_days(5))
    session.commit()
    browser = login_as(getattr(world, reader))
    for query in QUERIES:
        app.extensions.pop(PAGES.name, None)
        with count_statements(app) as statements:
            _list(browser, query)
        read = tables_read(statements)
        assert "trainings" in read, query
        assert read - tables_raising(GENERATION) - {"user_sessions", "kept_generations"} == set()


def test_a_party_leaving_the_mou_elsewhere_hides_its_trainings_at_once(world, session, login_as):
    factories.make_training(session, world.mou, in_days(5), title_en="Chile and UK only")
    session.commit()
    browser = login_as(world.member_gb)
    assert "Chile and UK only" in _list(browser)
    assert "Chile and UK only" in _list(browser)  # kept
    world.mou.parties = [party for party in world.mou.parties if party.code != "GB"]
    session.commit()
    assert "Chile and UK only" not in _list(browser)

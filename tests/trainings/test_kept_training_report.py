"""A training's report is kept (report_views.TRAINING_REPORTS) under its MoU's report version:
served again without counting, and shown afresh at once after every change it counts: a
registration, attendance, a party renamed, a participant moving to another party."""

import re

from portal.trainings.models import AttendanceMark, Sector
from tests import factories
from tests.helpers.statements import count_statements
from tests.helpers.training_followup import make_training, register


def _totals(browser, training) -> dict[str, int]:
    page = browser.get(f"/trainings/{training.id}/report").get_data(as_text=True)
    total = re.search(r'<tr data-key="total">(.*?)</tr>', page, re.S).group(1)
    return {c: int(n) for c, n in re.findall(r'data-column="(\w+)">(\d+)<', total)}


def _party_rows(browser, training) -> list[str]:
    page = browser.get(f"/trainings/{training.id}/report").get_data(as_text=True)
    return re.findall(r'<tr data-key="\d+"><th scope="row">([^<]+)</th>', page)


def test_the_report_is_kept_and_changes_at_once(world, session, login_as, app):
    training = make_training(session, world.mou)
    register(session, training, world.member_cl, attendance=AttendanceMark.PRESENT)
    session.commit()
    browser = login_as(world.coordinator_gb)
    with count_statements(app) as first:
        assert _totals(browser, training)["present"] == 1
    with count_statements(app) as again:
        assert _totals(browser, training)["present"] == 1
    assert len(again) < len(first)  # the figures were not counted again

    register(session, training, world.member_gb, attendance=AttendanceMark.PARTIAL)
    session.commit()
    totals = _totals(browser, training)
    assert (totals["registrations"], totals["present"], totals["partial"]) == (2, 1, 1)

    registration = training.registrations[0]
    registration.attendance = AttendanceMark.ABSENT
    session.commit()
    assert _totals(browser, training)["present"] == 0


def test_a_party_renamed_or_a_participant_moved_shows_at_once(world, session, login_as):
    training = make_training(session, world.mou)
    person = factories.make_user(session, world.gb, name="Moving person")
    register(session, training, person, sector=Sector.PUBLIC)
    session.commit()
    browser = login_as(world.coordinator_gb)
    assert any(row.startswith("GB") for row in _party_rows(browser, training))
    world.gb.name_en = "United Kingdom of Great Britain"
    session.commit()
    assert any("United Kingdom of Great Britain" in row for row in _party_rows(browser, training))
    person.party = world.co
    session.commit()
    assert any(row.startswith("CO") for row in _party_rows(browser, training))


def test_the_csv_follows_the_same_changes(world, session, login_as):
    training = make_training(session, world.mou)
    register(session, training, world.member_cl, attendance=AttendanceMark.PRESENT)
    session.commit()
    browser = login_as(world.coordinator_gb)
    csv_path = f"/trainings/{training.id}/report.csv"

    def total_line() -> list[str]:
        return browser.get(csv_path).get_data(as_text=True).splitlines()[-1].split(",")[2:]

    assert total_line() == ["1", "1", "0", "0", "1", "0", "0", "0"]
    register(session, training, world.member_gb, attendance=AttendanceMark.ABSENT)
    session.commit()
    assert total_line() == ["2", "2", "0", "0", "1", "0", "1", "0"]

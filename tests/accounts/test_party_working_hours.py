"""Administrators set each party's working days, hours and holiday country on the parties
pages; bad input is answered with a message and writes nothing."""

import pytest
from sqlalchemy import select

from portal.accounts.models import Party
from tests.conftest import csrf_token
from tests.helpers.bad_input import check_form, shown_errors


@pytest.fixture
def admin(world, session, login_as):
    """The administrator, reading English (their party's default is Spanish)."""
    world.admin.language = "en"
    session.commit()
    return login_as(world.admin)


def _valid(**overrides) -> dict:
    data = {
        "code": "IL",
        "kind": "country",
        "name_en": "Israel",
        "name_es": "Israel",
        "timezone": "Asia/Jerusalem",
        "language": "en",
        "work_days": ["7", "1", "2", "3", "4"],
        "work_start": "09:00",
        "work_end": "18:00",
        "holiday_country": "IL",
        "holiday_subdivision": "",
    }
    data.update(overrides)
    return data


def test_bad_working_time_is_refused_and_writes_nothing(world, session, admin):
    cases = [
        ("no day", {"work_days": []}, "Choose at least one working day."),
        ("end before start", {"work_end": "08:00"}, "The working hours must end after they start."),
        (
            "end equal to start",
            {"work_end": "09:00"},
            "The working hours must end after they start.",
        ),
        ("start only", {"work_end": ""}, "Give both the start and the end of the working hours."),
        ("not a time", {"work_start": "9 am"}, "Enter the time as HH:MM."),
        ("a day that is none", {"work_days": ["8"]}, "Choose one of the options in the list."),
        ("unknown country", {"holiday_country": "XX"}, "Choose one of the options in the list."),
        (
            "region without country",
            {"holiday_country": "", "holiday_subdivision": "ENG"},
            "A region needs a country.",
        ),
    ]
    written = check_form(session, admin, "/admin/parties/new", _valid(), cases)
    assert {"parties", "audit_events"} <= set(written)
    israel = session.scalars(select(Party).where(Party.code == "IL")).one()
    assert (israel.work_days, israel.work_start_minute, israel.work_end_minute) == (
        "12347",
        540,
        1080,
    )
    assert israel.holiday_country == "IL"


def test_an_unknown_region_names_the_known_ones(world, session, admin):
    path = f"/admin/parties/{world.gb.id}"
    data = _valid(code="GB", holiday_country="GB", holiday_subdivision="ZZZ")
    response = admin.post(path, data={"csrf_token": csrf_token(admin, path), **data})
    assert response.status_code == 422
    assert any(
        "Not a region of that country in the calendar of holidays; use one of: ENG, NIR" in e
        for e in shown_errors(response)
    )
    session.rollback()
    assert session.get(Party, world.gb.id).holiday_subdivision is None


def test_the_administrator_changes_a_partys_working_time(world, session, admin):
    path = f"/admin/parties/{world.gb.id}"
    page = admin.get(path).get_data(as_text=True)
    assert "Working days" in page and "Public holidays of" in page
    data = _valid(
        code="GB",
        name_en="United Kingdom",
        name_es="Reino Unido",
        timezone="Europe/London",
        work_days=["1", "2", "3", "4", "5"],
        work_start="09:00",
        work_end="17:30",
        holiday_country="GB",
        holiday_subdivision="eng",
    )
    response = admin.post(path, data={"csrf_token": csrf_token(admin, path), **data})
    assert response.status_code == 302, shown_errors(response)
    session.rollback()
    gb = session.get(Party, world.gb.id)
    assert (gb.work_days, gb.work_start_minute, gb.work_end_minute) == ("12345", 540, 1050)
    assert (gb.holiday_country, gb.holiday_subdivision) == ("GB", "ENG")
    listing = admin.get("/admin/parties/").get_data(as_text=True)
    assert "Mon–Fri 09:00–17:30" in listing
    # The form shows what is kept.
    page = admin.get(path).get_data(as_text=True)
    assert 'value="17:30"' in page and 'value="ENG"' in page


def test_working_time_left_empty_is_not_set(world, session, admin):
    path = f"/admin/parties/{world.co.id}"
    data = _valid(
        code="CO",
        timezone="America/Bogota",
        work_days=[],
        work_start="",
        work_end="",
        holiday_country="",
    )
    response = admin.post(path, data={"csrf_token": csrf_token(admin, path), **data})
    assert response.status_code == 302, shown_errors(response)
    session.rollback()
    co = session.get(Party, world.co.id)
    assert (co.work_days, co.work_start_minute, co.holiday_country) == (None, None, None)
    assert "Not set" in admin.get("/admin/parties/").get_data(as_text=True)


def test_sunday_to_thursday_reads_as_one_run(world, session, admin):
    path = f"/admin/parties/{world.co.id}"
    data = _valid(code="CO", timezone="America/Bogota", holiday_country="CO")
    assert admin.post(path, data={"csrf_token": csrf_token(admin, path), **data}).status_code == 302
    assert "Sun–Thu 09:00–18:00" in admin.get("/admin/parties/").get_data(as_text=True)

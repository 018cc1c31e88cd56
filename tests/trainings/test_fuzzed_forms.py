"""Arbitrary text in the training and registration forms: a clear message or a redirect,
never a 500, and nothing written when refused (SECURITY.md 22)."""

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.conftest import csrf_token
from tests.helpers.bad_input import changed_tables, shown_errors, snapshot
from tests.helpers.fuzz import FUZZ, TEXT, post_form
from tests.helpers.trainings import REGISTRATION, training_form

# How a form answers arbitrary text does not depend on the backend:
# run once, on PostgreSQL when it answers (ONE_BACKEND, tests/conftest.py), so that
# the suite's time goes where the backends differ.
pytestmark = pytest.mark.one_backend

FIELDS = list(training_form("Fuzzed course"))


@pytest.fixture
def coordinator(world, login_as):
    return login_as(world.coordinator_gb)


@FUZZ
@given(field=st.sampled_from(FIELDS), value=TEXT)
@example(field="capacity", value="-1")
@example(field="capacity", value="1e9")
@example(field="start_local", value="2026-09-06T00:30")
@example(field="timezone", value="Mars/Olympus")
@example(field="audience", value="\x00")
def test_the_training_form_survives_any_text(world, session, coordinator, field, value):
    data = {**training_form("Fuzzed course"), field: value}
    before = snapshot(session)
    response = post_form(coordinator, f"/mous/{world.mou.id}/trainings/new", data)
    assert response.status_code in (302, 422), (field, value, response.status_code)
    if response.status_code == 422:
        assert shown_errors(response)
        assert changed_tables(before, snapshot(session)) == []


@FUZZ
@given(organisation=TEXT, sector=st.one_of(st.sampled_from(["public", "academia"]), TEXT))
@example(organisation="CSIRT\r\nBcc: spy@evil.example", sector="public")
@example(organisation="CSIRT", sector="public\x00")
def test_the_registration_form_survives_any_text(
    world, session, login_as, training, organisation, sector
):
    browser = login_as(world.member_gb)
    before = snapshot(session)
    page = f"/trainings/{training.id}"
    data = {**REGISTRATION, "organisation": organisation, "sector": sector}
    response = browser.post(
        f"{page}/register", data={"csrf_token": csrf_token(browser, page), **data}
    )
    assert response.status_code in (302, 422), (data, response.status_code)
    if response.status_code == 422:
        assert shown_errors(response)
        assert changed_tables(before, snapshot(session)) in ([], ["user_sessions"])
    else:
        token = csrf_token(browser, page)
        browser.post(f"{page}/registration/cancel", data={"csrf_token": token, "confirmed": "1"})

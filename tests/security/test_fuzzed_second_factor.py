"""Arbitrary text in the code step and the set-up form: never a 500, never a login, and
nothing written beyond the failure's count and audit trail."""

import pytest
from hypothesis import example, given

from tests.conftest import SECOND_FACTOR_PATH, csrf_token, login
from tests.factories import PASSWORD
from tests.helpers.bad_input import changed_tables, snapshot
from tests.helpers.fuzz import FUZZ, TEXT, app_overrides, post_form  # noqa: F401  (a fixture)

# How a form answers arbitrary text does not depend on the backend:
# run once, on PostgreSQL when it answers (ONE_BACKEND, tests/conftest.py), so that
# the suite's time goes where the backends differ.
pytestmark = pytest.mark.one_backend


@FUZZ
@given(code=TEXT)
@example(code="123456\x00")
@example(code="１２３４５６")  # full-width digits
@example(code="-" * 40)
def test_code_step_survives_any_text(app, world, session, code):
    client = app.test_client()
    data = {"email": world.coordinator_cl.email, "password": PASSWORD}
    client.post("/auth/login", data={**data, "csrf_token": csrf_token(client)})
    before = snapshot(session)
    response = post_form(client, SECOND_FACTOR_PATH, {"code": code})
    assert response.status_code == 422, (code, response.status_code)
    assert set(changed_tables(before, snapshot(session))) <= {"users", "audit_events"}
    assert client.get("/").status_code == 302


@FUZZ
@given(password=TEXT, code=TEXT)
def test_set_up_form_survives_any_text(app, world, session, password, code):
    client = app.test_client()
    login(client, world.member_gb)
    before = snapshot(session)
    path = "/account/two-factor/setup"
    response = post_form(client, path, {"password": password, "code": code})
    assert response.status_code == 422, (password, code, response.status_code)
    assert changed_tables(before, snapshot(session)) == []

"""Arbitrary text in every field of the poll form: never a 500; a refusal writes nothing."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers.bad_input import changed_tables, snapshot
from tests.helpers.fuzz import FUZZ, TEXT, app_overrides, post_form  # noqa: F401  (a fixture)
from tests.helpers.polls import poll_form

# How a form answers arbitrary text does not depend on the backend:
# run once, on PostgreSQL when it answers (ONE_BACKEND, tests/conftest.py), so that
# the suite's time goes where the backends differ.
pytestmark = pytest.mark.one_backend

FIELDS = (
    "title_en",
    "title_es",
    "timezone",
    "duration_minutes",
    "expires_on",
    "start_1",
    "start_2",
    "fold_1",
    "place",
    "tlp",
)


@pytest.fixture
def coordinator(world, login_as):
    """Logged in once: Hypothesis runs every example of a test with the same fixtures."""
    return login_as(world.coordinator_gb)


@FUZZ
@given(field=st.sampled_from(FIELDS), value=TEXT)
def test_the_poll_form_survives_any_text_in_any_field(world, coordinator, session, field, value):
    path = f"/working-groups/{world.group.id}/polls/new"
    before = snapshot(session)
    response = post_form(coordinator, path, poll_form(**{field: value}))
    assert response.status_code in (302, 422), response.status_code
    if response.status_code == 422:
        assert changed_tables(before, snapshot(session)) == []

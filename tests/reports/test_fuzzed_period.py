"""Arbitrary text in the report's period and language: a report (200) or a page that says
what is wrong (422), never a 500, on the page and its downloads alike."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers.fuzz import FUZZ, TEXT, app_overrides  # noqa: F401  (a fixture)

# How a form answers arbitrary text does not depend on the backend:
# run once, on PostgreSQL when it answers (ONE_BACKEND, tests/conftest.py), so that
# the suite's time goes where the backends differ.
pytestmark = pytest.mark.one_backend

ROUTES = st.sampled_from(("report", "report.csv", "report.pdf"))


@FUZZ
@given(first=TEXT, last=TEXT, language=TEXT, route=ROUTES)
def test_the_period_form_survives_any_text(world, login_as, first, last, language, route):
    client = login_as(world.observer_gb)
    query = {"first": first, "last": last, "language": language}
    response = client.get(f"/mous/{world.mou.id}/{route}", query_string=query)
    assert response.status_code in (200, 422), response.status_code
    if response.status_code == 422:
        assert response.mimetype == "text/html"

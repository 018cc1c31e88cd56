"""Schemathesis against the local app, from the description the app serves: for every
operation, generated requests (with an administrator's read-write token, who reaches every
object) never get a 500, and every answer is valid against the description (status, content
type, headers, body). Bounded: a few examples an operation, no shrinking, no example store."""

import time

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.api.conftest import bearer

EXAMPLES_PER_OPERATION = 5


def _check(case, headers) -> None:
    case.headers = {**(case.headers or {}), **headers}
    response = case.call()
    if response.status_code == 400:
        # A cursor is opaque and signed: no schema can tell a made-up one from a real one,
        # so only a cursor may be refused as bad, and with a problem, not a 500.
        assert case.query and case.query.get("cursor"), response.text
        assert response.json()["status"] == 400  # its type is checked against the description
        case.validate_response(response, excluded_checks=[positive_data_acceptance])
    else:
        case.validate_response(response)


@pytest.mark.one_backend  # the description's contract; the matrix covers both backends
def test_every_operation_answers_as_its_description_says(app, api_world):
    started = time.monotonic()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = bearer(api_world.tokens["admin"])
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            _check(case, headers)

        check()
        checked.append(operation.label)
    assert "POST /api/v1/action-items" in checked
    assert "GET /api/v1/meetings/{meeting_id}" in checked
    assert len(checked) == 16
    assert time.monotonic() - started < 30

"""Per-address throttling of the second login step, as of the first (SECURITY 3): wrong codes
count as failures of the address, and a blocked address gets the 429 page."""

import pytest

from tests.conftest import SECOND_FACTOR_PATH, csrf_token
from tests.factories import PASSWORD


@pytest.fixture
def app_overrides():
    return {"LOGIN_ADDRESS_MAX_FAILURES": 3}


def test_too_many_code_posts_from_one_address_are_refused(client, world):
    data = {"email": world.coordinator_cl.email, "password": PASSWORD}
    client.post("/auth/login", data={**data, "csrf_token": csrf_token(client)})
    token = csrf_token(client, SECOND_FACTOR_PATH)
    answers = [
        client.post(SECOND_FACTOR_PATH, data={"code": "123456", "csrf_token": token}).status_code
        for _ in range(4)
    ]
    assert answers == [422, 422, 422, 429]

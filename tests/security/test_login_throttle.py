"""Per-IP throttling of login attempts (the per-account lock is in tests/accounts)."""

import pytest

from tests.conftest import csrf_token


@pytest.fixture
def app_overrides():
    return {"LOGIN_RATE_LIMIT": "3 per minute"}


def test_too_many_login_posts_from_one_address_are_refused(client, world):
    token = csrf_token(client)
    answers = [
        client.post(
            "/auth/login",
            data={"email": f"nobody{n}@example.org", "password": "x" * 12, "csrf_token": token},
        ).status_code
        for n in range(4)
    ]
    assert answers == [422, 422, 422, 429]
    page = client.post(
        "/auth/login", data={"email": world.member_gb.email, "password": "x", "csrf_token": token}
    )
    assert page.status_code == 429
    assert "Too many attempts" in page.get_data(as_text=True)
    assert client.get("/auth/login").status_code == 200  # reading the page is not throttled

"""Arbitrary text for the forms (Hypothesis): the settings, the awkward strings, the post."""

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.conftest import csrf_token

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    database=None,  # nothing written into the working tree
)

AWKWARD = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "\r\n",
        "Ana\r\nBcc: spy@evil.example",
        "\u202eevil\u202c",  # right-to-left override
        "مرحبا بالعالم",  # Arabic, right to left
        "e\u0301\u0301\u0301",  # combining accents
        "Z\u0351\u0352\u0353a\u0354l\u0355g\u0356o",
        "👩🏽‍💻🇨🇱🇬🇧",  # emoji with ZWJ and flags
        "\ufeff\u200b\u2028\u2029",
        "'; DROP TABLE users; --",
        "<script>alert(1)</script>",
        "%00%0d%0a",
        "x" * 300,
    ]
)
TEXT = st.one_of(
    st.text(max_size=300),
    AWKWARD,
    st.lists(st.one_of(AWKWARD, st.text(max_size=10)), max_size=4).map("".join),
)


@pytest.fixture
def app_overrides():
    """No throttling (import this fixture): the examples are many failures from one address."""
    return {
        "LOGIN_RATE_LIMIT": "100000 per minute",
        "LOGIN_MAX_FAILURES": 100_000,
        "LOGIN_ADDRESS_MAX_FAILURES": 100_000,
    }


def post_form(client, path, data):
    """Post data with a form token from the same page."""
    return client.post(path, data={"csrf_token": csrf_token(client, path), **data})

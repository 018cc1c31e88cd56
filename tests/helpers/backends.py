"""Tests that only one database backend can show."""

import pytest


@pytest.fixture
def postgres_only(backend):
    if backend["name"] != "postgresql":
        pytest.skip(
            "SQLite ignores SELECT ... FOR UPDATE and lets one writer in at a time, so it "
            "cannot show the race; this test runs on PostgreSQL (set TEST_DATABASE_URL)"
        )

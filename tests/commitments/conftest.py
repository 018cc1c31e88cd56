"""Commitments for the tests: made in the database as a coordinator would leave them."""

import pytest

from tests.helpers.commitments import make_commitment


@pytest.fixture
def commitment_of():
    """commitment_of(session, mou, line=None, parties=None, **fields) -> a stored commitment."""
    return make_commitment

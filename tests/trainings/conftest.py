"""Trainings for the tests: one upcoming under the Chile–UK MoU."""

import pytest

from tests import factories
from tests.documents.conftest import make_document  # noqa: F401  (a fixture, used here)
from tests.helpers.trainings import in_days


@pytest.fixture
def training(world, session):
    """In ten days, three hours, two seats, open to external participants."""
    made = factories.make_training(
        session, world.mou, in_days(10), capacity=2, allow_external=True, organiser=world.admin
    )
    session.commit()
    return made

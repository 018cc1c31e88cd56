"""Arbitrary input in the feedback, verification and report forms: never a 500, never a write
where the answer is not a redirect, never a fact revealed for a wrong code."""

from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from portal.trainings.feedback import TrainingFeedback
from portal.trainings.models import AttendanceMark
from tests.conftest import csrf_token
from tests.helpers.bad_input import changed_tables, snapshot
from tests.helpers.fuzz import FUZZ, TEXT
from tests.helpers.training_followup import make_training, register

# How a form answers arbitrary text does not depend on the backend:
# run once, on PostgreSQL when it answers (ONE_BACKEND, tests/conftest.py), so that
# the suite's time goes where the backends differ.
pytestmark = pytest.mark.one_backend


@pytest.fixture
def app_overrides():
    """No per-IP throttling here: the examples are many requests from one address."""
    return {"LOGIN_RATE_LIMIT": "100000 per minute"}


@pytest.fixture
def training(world, session):
    made = make_training(session, world.mou, title_en="Fuzzed course")
    register(session, made, world.member_gb, attendance=AttendanceMark.PRESENT)
    session.commit()
    return made


@FUZZ
@given(rating=st.one_of(TEXT, st.integers().map(str)), comments=TEXT)
def test_the_feedback_form(rating, comments, training, world, session, login_as):
    browser = login_as(world.member_gb)
    path = f"/trainings/{training.id}/feedback"
    before = snapshot(session)
    response = browser.post(
        path, data={"csrf_token": csrf_token(browser, path), "rating": rating, "comments": comments}
    )
    session.rollback()
    assert response.status_code in (302, 422)
    if response.status_code == 422:
        assert changed_tables(before, snapshot(session)) == []
    given_answers = session.scalar(select(func.count()).select_from(TrainingFeedback))
    assert given_answers <= 1
    if given_answers:  # the next example starts from no answer
        session.execute(delete(TrainingFeedback))
        session.commit()


@FUZZ
@given(code=TEXT)
def test_the_verification_form(code, training, client, session):
    before = snapshot(session)
    path = "/certificates/verify"
    response = client.post(path, data={"csrf_token": csrf_token(client, path), "code": code})
    session.rollback()
    assert response.status_code in (200, 422)
    assert "Fuzzed course" not in response.get_data(as_text=True)
    assert changed_tables(before, snapshot(session)) == []


@FUZZ
@given(first=TEXT, last=TEXT, party=TEXT)
def test_the_report_period(first, last, party, world, login_as):
    browser = login_as(world.coordinator_gb)
    query = urlencode({"first": first, "last": last, "party": party})
    response = browser.get(f"/mous/{world.mou.id}/trainings/report?{query}")
    assert response.status_code in (200, 422)

"""Arbitrary text in the commitment and progress-note forms: never a 500; refused input
writes nothing."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from portal.commitments.models import Commitment, ProgressNote
from tests.conftest import csrf_token
from tests.helpers.fuzz import FUZZ, TEXT, app_overrides  # noqa: F401  (a fixture)

# How a form answers arbitrary text does not depend on the backend:
# run once, on PostgreSQL when it answers (ONE_BACKEND, tests/conftest.py), so that
# the suite's time goes where the backends differ.
pytestmark = pytest.mark.one_backend


@FUZZ
# Valid dates half the time, so that the text reaches the service and the database.
@given(
    title_en=TEXT,
    title_es=TEXT,
    target=st.one_of(st.just("2030-01-01"), TEXT),
    noted=st.one_of(st.just((date.today() - timedelta(days=2)).isoformat()), TEXT),
    body=TEXT,
)
def test_the_commitment_forms_survive_any_text(
    world, session, login_as, title_en, title_es, target, noted, body
):
    client = login_as(world.coordinator_gb)
    path = f"/mous/{world.mou.id}/commitments/new"
    data = {
        "title_en": title_en,
        "title_es": title_es,
        "line_id": str(world.mou.lines[0].id),
        "party_ids": [str(world.gb.id)],
        "target_on": target,
        "csrf_token": csrf_token(client, path),
    }
    before = session.scalar(select(func.count()).select_from(Commitment))
    response = client.post(path, data=data)
    assert response.status_code in (302, 422), response.status_code
    session.rollback()
    after = session.scalar(select(func.count()).select_from(Commitment))
    assert (after != before) == (response.status_code == 302)

    commitment_id = session.scalar(select(func.min(Commitment.id)))
    if commitment_id is None:
        return
    page = f"/commitments/{commitment_id}"
    data = {"noted_on": noted, "body": body, "csrf_token": csrf_token(client, page)}
    before = session.scalar(select(func.count()).select_from(ProgressNote))
    response = client.post(f"{page}/notes/new", data=data)
    assert response.status_code in (302, 422), response.status_code
    session.rollback()
    after = session.scalar(select(func.count()).select_from(ProgressNote))
    assert (after != before) == (response.status_code == 302)

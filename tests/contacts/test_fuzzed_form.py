"""Arbitrary text in the point-of-contact form: never a 500; refused input writes nothing."""

import pytest
from hypothesis import given
from sqlalchemy import select

from portal.contacts.models import PointOfContact
from tests.conftest import csrf_token
from tests.helpers.fuzz import FUZZ, TEXT, app_overrides  # noqa: F401  (a fixture)

# How a form answers arbitrary text does not depend on the backend:
# run once, on PostgreSQL when it answers (ONE_BACKEND, tests/conftest.py), so that
# the suite's time goes where the backends differ.
pytestmark = pytest.mark.one_backend


@FUZZ
@given(name=TEXT, role=TEXT, email=TEXT, phone=TEXT, fingerprint=TEXT, start=TEXT, verified=TEXT)
def test_the_contact_form_survives_any_text(
    world, session, login_as, name, role, email, phone, fingerprint, start, verified
):
    client = login_as(world.coordinator_gb)
    path = f"/mous/{world.mou.id}/parties/{world.gb.id}/contacts/new"
    data = {
        "kind": "mou",
        "given_name": name,
        "family_name": "Fowler",
        "role": role,
        "email": email,
        "phone": phone,
        "availability": "office_hours",
        "office_days": ["0", "4"],
        "office_start": start,
        "office_end": "17:00",
        "timezone": "Europe/London",
        "pgp_fingerprint": fingerprint,
        "last_verified_on": verified,
        "csrf_token": csrf_token(client, path),
    }
    before = session.scalar(select(PointOfContact.id).order_by(PointOfContact.id.desc()))
    response = client.post(path, data=data)
    assert response.status_code in (302, 422), response.status_code
    session.rollback()
    after = session.scalar(select(PointOfContact.id).order_by(PointOfContact.id.desc()))
    assert (after != before) == (response.status_code == 302)

"""Arbitrary text in the document forms: never a 500; refused input writes nothing."""

import pytest
from hypothesis import given
from sqlalchemy import select

from portal.documents.models import Document
from tests.conftest import csrf_token
from tests.helpers.fuzz import FUZZ, TEXT

# How a form answers arbitrary text does not depend on the backend:
# run once, on PostgreSQL when it answers (ONE_BACKEND, tests/conftest.py), so that
# the suite's time goes where the backends differ.
pytestmark = pytest.mark.one_backend


@pytest.fixture
def document_id(world, make_document):
    return make_document(world.member_cl, mou=world.mou, group=world.group, title="Original")


@pytest.fixture
def author(world, login_as):
    return login_as(world.member_cl)


@FUZZ
@given(title=TEXT, tags=TEXT, description=TEXT, tlp=TEXT)
def test_the_metadata_form_survives_any_text(
    author, session, document_id, title, tags, description, tlp
):
    client = author
    path = f"/documents/{document_id}/edit"
    data = {
        "title": title,
        "tags": tags,
        "description_md": description,
        "tlp": tlp,
        "language": "en",
        "category": "protocol",
        "csrf_token": csrf_token(client, path),
    }
    before = session.scalar(select(Document.title).where(Document.id == document_id))
    response = client.post(path, data=data)
    assert response.status_code in (302, 400, 422), response.status_code
    session.rollback()
    after = session.scalar(select(Document.title).where(Document.id == document_id))
    if response.status_code != 302:
        assert after == before

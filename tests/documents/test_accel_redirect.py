"""Behind nginx (DOCUMENT_ACCEL_REDIRECT): the app checks the reader and answers with the
headers and where nginx finds the stored file; nginx sends the bytes (deploy/)."""

import pytest

from portal.documents.models import DocumentVersion
from portal.documents.storage import document_storage

CONTENT = b"Protocol for incident response between CSIRTs.\n" * 100
PREFIX = "/_stored_files/"


@pytest.fixture
def app_overrides():
    return {"DOCUMENT_ACCEL_REDIRECT": PREFIX}


def test_downloads_are_handed_to_nginx_only_for_those_who_may_read_them(
    app, world, make_document, session, login_as, client
):
    document_id = make_document(world.member_cl, mou=world.mou, content=CONTENT)
    version = session.query(DocumentVersion).filter_by(document_id=document_id).one()
    path = f"/documents/{document_id}/versions/1/download"
    with app.app_context():
        storage = document_storage()
        stored = storage.path_of(version.storage_key)

    response = login_as(world.member_gb).get(path)
    assert response.status_code == 200
    redirect = response.headers["X-Accel-Redirect"]
    assert redirect.startswith(PREFIX)
    assert (
        (storage.root / redirect.removeprefix(PREFIX)).read_bytes()
        == CONTENT
        == (stored.read_bytes())
    )
    assert response.data == b""  # nginx sends the bytes, not the app
    assert response.headers["Content-Disposition"] == "attachment; filename=protocol.txt"
    assert response.mimetype == "text/plain"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private, no-store"

    # Another delegation, and an anonymous visitor, learn nothing of where the file is.
    refused = login_as(world.member_co).get(path)
    assert (refused.status_code, "X-Accel-Redirect" in refused.headers) == (404, False)
    anonymous = client.get(path)
    assert (anonymous.status_code, "X-Accel-Redirect" in anonymous.headers) == (302, False)

    # A damaged file is refused with the page, as when the app streams it.
    stored.write_bytes(CONTENT.replace(b"CSIRTs", b"CSIRTS", 1))
    damaged = login_as(world.member_gb).get(path)
    assert (damaged.status_code, "X-Accel-Redirect" in damaged.headers) == (500, False)
    assert "This file is damaged on the server" in damaged.get_data(as_text=True)

    # Without the setting the app streams the file itself.
    stored.write_bytes(CONTENT)
    app.config["DOCUMENT_ACCEL_REDIRECT"] = ""
    streamed = login_as(world.member_gb).get(path)
    assert "X-Accel-Redirect" not in streamed.headers
    assert streamed.data == CONTENT
    streamed.close()

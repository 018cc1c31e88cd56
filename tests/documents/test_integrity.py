"""A stored file damaged on disk never reaches a reader as the document (SECURITY line 27)."""

import pytest

from portal.documents import integrity
from portal.documents.integrity import DamagedFile
from portal.documents.models import DocumentVersion
from portal.documents.storage import document_storage

CONTENT = b"Protocol for incident response between CSIRTs.\n" * 13_000  # about 600 KB


@pytest.fixture
def stored(app, world, make_document, session):
    """The document's id and the path of its stored first version."""
    document_id = make_document(world.member_cl, mou=world.mou, content=CONTENT)
    version = session.query(DocumentVersion).filter_by(document_id=document_id).one()
    with app.app_context():
        path = document_storage().path_of(version.storage_key)
    return document_id, path


def _damage(path, offset: int = 100) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01  # one bit flipped: same size, other bytes
    path.write_bytes(bytes(data))


def _download(browser, document_id):
    return browser.get(f"/documents/{document_id}/versions/1/download")


@pytest.fixture
def streamed(monkeypatch):
    """Every file checked while it streams, as files over the check-first size are."""
    monkeypatch.setattr(integrity, "CHECK_BEFORE_SENDING_UP_TO", 0)


def test_an_intact_file_downloads_whole_checked_first_or_while_streaming(
    stored, world, login_as, monkeypatch
):
    document_id, _ = stored
    browser = login_as(world.member_gb)
    for check_first_up_to in (integrity.CHECK_BEFORE_SENDING_UP_TO, 0):
        monkeypatch.setattr(integrity, "CHECK_BEFORE_SENDING_UP_TO", check_first_up_to)
        response = _download(browser, document_id)
        assert response.data == CONTENT
        response.close()


def test_a_damaged_small_file_gets_a_clear_page_and_none_of_its_bytes(stored, world, login_as):
    document_id, path = stored
    _damage(path)

    response = _download(login_as(world.member_gb), document_id)

    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "This file is damaged on the server" in page
    assert "Protocol for incident response" not in page
    assert "attachment" not in response.headers.get("Content-Disposition", "")


def test_a_truncated_file_is_refused_too(stored, world, login_as):
    document_id, path = stored
    path.write_bytes(CONTENT[:1000])

    assert _download(login_as(world.member_gb), document_id).status_code == 500


def test_a_damaged_large_file_stops_before_its_last_bytes(stored, world, login_as, streamed):
    document_id, path = stored
    _damage(path, offset=len(CONTENT) - 10)  # damage found only at the very end

    response = _download(login_as(world.member_gb), document_id)
    assert response.status_code == 200  # the headers left before the damage could be known
    received = bytearray()
    with pytest.raises(DamagedFile):
        for chunk in response.response:
            received += chunk
    response.close()
    assert 0 < len(received) < len(CONTENT)
    assert int(response.headers["Content-Length"]) == len(CONTENT)  # so the browser sees a cut


def test_flask_documents_verify_lists_damaged_and_missing_files(app, stored, world, make_document):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["documents", "verify"]).exit_code == 0

    document_id, path = stored
    _damage(path)
    other = make_document(world.member_cl, mou=world.mou, title="Strategy", content=b"gone")
    with app.app_context():
        from portal.core.extensions import db

        version = db.session.query(DocumentVersion).filter_by(document_id=other).one()
        document_storage().path_of(version.storage_key).unlink()

    result = runner.invoke(args=["documents", "verify"])

    assert result.exit_code == 1
    assert f"document {document_id} version 1: checksum mismatch" in result.output
    assert f"document {other} version 1: file missing" in result.output
    assert "2 damaged file(s)" in result.output

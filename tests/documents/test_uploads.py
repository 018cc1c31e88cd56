"""Uploads: allowed types by their bytes, hostile names and files, limits, nothing half-stored."""

import io
import zipfile
from pathlib import Path

import docx
import pytest
from odf.opendocument import OpenDocumentText
from odf.text import P
from sqlalchemy import func, select

from portal.documents.filetypes import safe_file_name
from portal.documents.models import Document, DocumentVersion
from tests.conftest import csrf_token
from tests.documents.conftest import upload_form


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF whose page says `text` (enough for pypdf to read it back)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def docx_bytes(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def odt_bytes(text: str) -> bytes:
    document = OpenDocumentText()
    document.text.addElement(P(text=text))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def _upload(browser, world, name: str, content: bytes, **fields):
    path = f"/working-groups/{world.group.id}/documents/new"
    data = upload_form(file=(io.BytesIO(content), name), **fields)
    data["csrf_token"] = csrf_token(browser, path)
    return browser.post(path, data=data, content_type="multipart/form-data")


def _stored_files(app) -> list[Path]:
    root = Path(app.instance_path) / "documents"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _versions(session) -> list[DocumentVersion]:
    session.rollback()
    return list(session.scalars(select(DocumentVersion)))


@pytest.mark.parametrize(
    ("name", "content", "content_type", "words"),
    [
        (
            "estrategia.pdf",
            minimal_pdf("Ciberseguridad nacional"),
            "application/pdf",
            "ciberseguridad",
        ),
        ("protocolo.docx", docx_bytes("Protocolo de respuesta"), "wordprocessingml", "protocolo"),
        ("plan.odt", odt_bytes("Plan de capacitaciones"), "opendocument.text", "capacitacion"),
        ("notas.md", "# Notas de la reunión\n".encode(), "text/markdown", "notas"),
        ("archivo.zip", zip_bytes(), "application/zip", None),
        ("diagrama.png", PNG, "image/png", None),
    ],
)
def test_allowed_files_are_stored_typed_by_their_bytes_and_their_text_is_searchable(
    name, content, content_type, words, world, login_as, session
):
    browser = login_as(world.member_cl)
    response = _upload(browser, world, name, content, title="Documento de prueba")
    assert response.status_code == 302, response.get_data(as_text=True)
    (version,) = _versions(session)
    assert content_type in version.content_type
    assert version.size == len(content)
    download = browser.get(f"/documents/{version.document_id}/versions/1/download")
    assert download.data == content
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Type"].startswith(version.content_type)
    download.close()
    page = browser.get(f"/documents/{version.document_id}").get_data(as_text=True)
    assert version.sha256 in page
    if words:
        results = browser.get(f"/documents/search?q={words}").get_data(as_text=True)
        assert f"/documents/{version.document_id}" in results


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("/etc/shadow.txt", "shadow.txt"),
        ("CON.txt", "_CON.txt"),
        ("nul.txt", "_nul.txt"),
        ("informe\x00final.txt", "informefinal.txt"),
        ("informe 🔒 final.txt", "informe 🔒 final.txt"),
    ],
)
def test_hostile_names_are_kept_only_as_harmless_data(given, kept, world, login_as, session, app):
    browser = login_as(world.member_cl)
    response = _upload(browser, world, given, b"plain text")
    assert response.status_code == 302, response.get_data(as_text=True)
    (version,) = _versions(session)
    assert version.file_name == kept
    (stored,) = _stored_files(app)
    assert stored.name == version.storage_key  # a random name in the store, nothing elsewhere
    download = browser.get(f"/documents/{version.document_id}/versions/1/download")
    disposition = download.headers["Content-Disposition"]
    download.close()
    assert "\r" not in disposition and "\n" not in disposition
    assert disposition.startswith("attachment")
    if not kept.isascii():
        assert "filename*=UTF-8''" in disposition


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"<html><script>alert(1)</script></html>", "no se acepta"),
        ("report.txt", b"", "El archivo está vacío"),
        ("report.txt", b"binary\x00data", "no se acepta"),
        ("report.exe", b"MZ\x90\x00", "no se acepta"),
        ("photo.png", b"%PDF-1.4 not really a png", "no se acepta"),
        ("passwd", b"root:x:0:0", "no se acepta"),
    ],
)
def test_refused_files_leave_nothing_behind(name, content, message, world, login_as, session, app):
    """The messages are in Spanish: member_cl reads the portal in Spanish."""
    browser = login_as(world.member_cl)
    response = _upload(browser, world, name, content)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _versions(session) == []
    assert session.scalar(select(func.count()).select_from(Document)) == 0
    assert _stored_files(app) == []


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("..\\..\\windows\\win.ini.txt", "win.ini.txt"),
        ("C:\\Users\\ana\\informe.pdf", "informe.pdf"),
        ("line\r\nContent-Type: text.txt", "lineContent-Type: text.txt"),
        ("\u202egpj.exe", "gpj.exe"),
        ("...", "document"),
        ("", "document"),
        ("LPT1.report.txt", "_LPT1.report.txt"),
        ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
    ],
)
def test_file_names_that_no_browser_sends_are_made_harmless_too(given, kept):
    assert safe_file_name(given) == kept


class TestSizeLimit:
    @pytest.fixture
    def app_overrides(self):
        return {"MAX_CONTENT_LENGTH": 64 * 1024}

    def test_a_file_over_the_limit_gets_the_413_page_in_the_readers_language(
        self, world, login_as, session, app
    ):
        browser = login_as(world.member_cl)  # a Chilean account: Spanish
        response = _upload(browser, world, "big.txt", b"a" * (100 * 1024))
        assert response.status_code == 413
        assert "demasiado grande" in response.get_data(as_text=True)
        assert _versions(session) == []
        assert _stored_files(app) == []


class TestQuota:
    @pytest.fixture
    def app_overrides(self):
        return {"DOCUMENT_PARTY_QUOTA": 1000}

    def test_the_party_quota_refuses_what_does_not_fit(self, world, login_as, session, app):
        browser = login_as(world.member_cl)
        assert _upload(browser, world, "a.txt", b"a" * 600).status_code == 302
        response = _upload(browser, world, "b.txt", b"b" * 600)
        assert response.status_code == 422
        assert len(_versions(session)) == 1
        assert len(_stored_files(app)) == 1


# Werkzeug's form parser drops its half-filled spool file without closing it when the
# client goes away; the garbage collector closes it. That is Werkzeug's, not ours.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_interrupted_upload_stores_nothing(world, login_as, session, app):
    browser = login_as(world.member_cl)
    path = f"/working-groups/{world.group.id}/documents/new"
    token = csrf_token(browser, path)
    boundary = "portal-test-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nCut\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.txt"\r\n'
        "Content-Type: text/plain\r\n\r\n"
    ).encode() + b"x" * 5000
    response = browser.post(
        path,
        input_stream=io.BytesIO(head),
        content_type=f"multipart/form-data; boundary={boundary}",
        content_length=len(head) + 100_000,  # the client promised more than it sent
    )
    assert response.status_code == 400
    assert _versions(session) == []
    assert _stored_files(app) == []


def test_a_file_kept_in_a_transaction_that_rolls_back_is_deleted(world, app, make_document):
    """Disk written, then the database refuses: the file goes with the transaction."""
    from portal.core.extensions import db
    from portal.core.tlp import TLP
    from portal.documents import services

    with app.test_request_context():
        author = db.session.merge(world.member_cl)
        services.store_new_document(
            db.session,
            author,
            db.session.merge(world.mou),
            None,
            services.DocumentData("T", "", "en", "other", [], TLP.GREEN),
            services.Upload(io.BytesIO(b"some text"), "a.txt", "First version"),
        )
        assert len(_stored_files(app)) == 1
        db.session.rollback()
    assert _stored_files(app) == []

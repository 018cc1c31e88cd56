"""Hostile uploads (SECURITY line 28): every parser of an uploaded file is bounded.

The text of a PDF, DOCX or ODT is read in a child process with memory, CPU and time
limits, after checks of the archive's directory; a file beyond a bound is stored without
its text and its page says so. The web worker here is this test process: its peak resident
size (VmHWM, reset just before the upload) may grow by less than 50 MB.
"""

import io
import re
import struct
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from portal.documents import parsing
from portal.documents.models import DocumentVersion
from tests.conftest import csrf_token
from tests.documents.conftest import upload_form
from tests.helpers import hostile_files as hostile

# The parsers' limits (in child processes) does not depend on the backend:
# run once, on PostgreSQL when it answers (ONE_BACKEND, tests/conftest.py), so that
# the suite's time goes where the backends differ.
pytestmark = pytest.mark.one_backend

MB = 1024**2
NOT_INDEXED = "Texto no indexado"  # member_cl reads the portal in Spanish


def _memory() -> dict[str, int]:
    status = Path("/proc/self/status").read_text()
    return {k: int(v) * 1024 for k, v in re.findall(r"^(VmHWM|VmRSS):\s+(\d+) kB", status, re.M)}


@contextmanager
def peak_growth():
    """How much this process's peak resident size rose above its size before the block."""
    Path("/proc/self/clear_refs").write_text("5")  # the peak starts again from here
    before = _memory()["VmRSS"]
    measured = {}
    yield measured
    measured["bytes"] = _memory()["VmHWM"] - before


def _upload(browser, world, name: str, content: bytes, title: str):
    """The upload as one body in memory (the test client would spool a large one to a
    temporary file that it never closes)."""
    path = f"/working-groups/{world.group.id}/documents/new"
    fields = upload_form(
        file=FileStorage(io.BytesIO(content), filename=name), title=title, description_md=""
    )
    fields["csrf_token"] = csrf_token(browser, path)
    boundary, body = encode_multipart(fields)
    return browser.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def _version(session) -> DocumentVersion:
    session.rollback()
    (version,) = session.scalars(select(DocumentVersion))
    return version


def billion_laughs_docx() -> bytes:
    entities = '<!ENTITY a0 "ja">' + "".join(
        f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10)
    )
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [{entities}]>'
        f'<w:document xmlns:w="{hostile.WORD_NS}"><w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )
    return hostile.docx(xml)


HOSTILE = {
    "docx-bomb": ("bomba.docx", lambda: hostile.bomb_docx(24 * MB)),
    "odt-bomb": ("bomba.odt", lambda: hostile.bomb_odt(24 * MB)),
    "deeply-nested-xml": ("anidado.odt", lambda: hostile.deeply_nested_odt(200_000)),
    "pdf-huge-object-stream": (
        "objetos.pdf",
        lambda: hostile.pdf_with_huge_object_stream(60 * MB, text="bomba"),
    ),
    "xml-entity-expansion": ("entidades.docx", billion_laughs_docx),
    "docx-lying-about-its-size": ("mentira.docx", lambda: hostile.lying_docx(24 * MB, 1_000)),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_a_hostile_file_is_stored_without_its_text_and_the_worker_grows_under_50_mb(
    case, world, login_as, session
):
    name, build = HOSTILE[case]
    content = build()
    browser = login_as(world.member_cl)
    with peak_growth() as growth:
        response = _upload(browser, world, name, content, title="Informe sospechoso")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert growth["bytes"] < 50 * MB, f"the worker grew by {growth['bytes'] / MB:.0f} MB"
    version = _version(session)
    assert version.text_skipped
    assert version.size == len(content)  # the file itself is kept as it came
    page = browser.get(f"/documents/{version.document_id}").get_data(as_text=True)
    assert NOT_INDEXED in page
    found = browser.get("/documents/search?q=sospechoso").get_data(as_text=True)
    assert f"/documents/{version.document_id}" in found  # still found by its title
    missed = browser.get("/documents/search?q=bomba").get_data(as_text=True)
    assert f"/documents/{version.document_id}" not in missed


class TestTimeLimit:
    @pytest.fixture
    def app_overrides(self):
        return {"DOCUMENT_EXTRACT_SECONDS": 1}

    def test_a_pdf_that_takes_longer_than_allowed_is_stored_without_its_text_in_time(
        self, world, login_as, session
    ):
        """2,000 pages of 40 lines take seconds of CPU to read through (one line each took
        0.7 s on a fast core); the child has one second of CPU."""
        content = hostile.pdf_of_many_pages(2_000, text="hoja", lines_per_page=40)
        browser = login_as(world.member_cl)
        started = time.monotonic()
        response = _upload(browser, world, "paginas.pdf", content, title="Muchas páginas")
        assert response.status_code == 302
        assert time.monotonic() - started < 1 + 5 + 2  # CPU, the child's start-up, slack
        version = _version(session)
        assert version.text_skipped
        page = browser.get(f"/documents/{version.document_id}").get_data(as_text=True)
        assert NOT_INDEXED in page


class TestMemoryLimit:
    @pytest.fixture
    def app_overrides(self):
        return {"DOCUMENT_EXTRACT_MEMORY_BYTES": 64 * MB}

    def test_a_parser_out_of_memory_costs_the_child_not_the_worker(self, world, login_as, session):
        """A PDF stream of 12 MB, under pypdf's own cap, inflated where 64 MB is all there is."""
        content = hostile.pdf_with_huge_object_stream(12 * MB, text="memoria")
        browser = login_as(world.member_cl)
        with peak_growth() as growth:
            response = _upload(browser, world, "memoria.pdf", content, title="Memoria")
        assert response.status_code == 302
        assert growth["bytes"] < 50 * MB
        assert _version(session).text_skipped


def test_an_archive_listing_too_many_files_is_refused_in_the_readers_language(
    world, login_as, session
):
    """Listing it would cost the worker more than the file: refused from its end record."""
    content = hostile.zip_with_members(parsing.MAX_ZIP_MEMBERS + 1)
    browser = login_as(world.member_cl)
    response = _upload(browser, world, "muchos.zip", content, title="Muchos archivos")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "demasiado larga para revisarla de forma segura" in page
    assert "10.000" in page
    session.rollback()
    assert session.scalars(select(DocumentVersion)).all() == []


def test_a_readable_docx_and_odt_are_indexed_tables_and_headings_included(world, login_as, session):
    body = (
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Ciberdefensa</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
        "<w:p><w:r><w:t>y</w:t><w:tab/><w:t>protocolos</w:t></w:r></w:p>"
    )
    browser = login_as(world.member_cl)
    response = _upload(
        browser, world, "tabla.docx", hostile.docx(hostile.word_document(body)), title="Tabla"
    )
    assert response.status_code == 302
    version = _version(session)
    assert not version.text_skipped
    page = browser.get(f"/documents/{version.document_id}").get_data(as_text=True)
    assert NOT_INDEXED not in page
    found = browser.get("/documents/search?q=ciberdefensa").get_data(as_text=True)
    assert f"/documents/{version.document_id}" in found


def test_an_archive_directory_is_judged_before_it_is_listed(tmp_path):
    """From the end record alone: many members, or a directory of many long names."""
    many = tmp_path / "many.zip"
    many.write_bytes(hostile.zip_with_members(parsing.MAX_ZIP_MEMBERS + 1))
    with pytest.raises(parsing.Refused):
        parsing.check_zip_directory(many)
    few = tmp_path / "few.zip"
    few.write_bytes(hostile.zip_with_members(3))
    parsing.check_zip_directory(few)
    honest = few.read_bytes()
    at = honest.rfind(b"PK\x05\x06")
    forged = bytearray(honest)  # an end record claiming a 4 GB directory
    forged[at + 12 : at + 16] = struct.pack("<I", 0xFFFFFFF0)
    few.write_bytes(bytes(forged))
    with pytest.raises(parsing.Refused):
        parsing.check_zip_directory(few)
    # A ZIP64 end record (read by zipfile instead) claiming a directory of 64 GB.
    record = b"PK\x06\x06" + struct.pack("<QHHLLQQQQ", 44, 45, 45, 0, 0, 3, 3, 2**36, 0)
    locator = b"PK\x06\x07" + struct.pack("<LQL", 0, at, 1)
    few.write_bytes(honest[:at] + record + locator + honest[at:])
    with pytest.raises(parsing.Refused):
        parsing.check_zip_directory(few)

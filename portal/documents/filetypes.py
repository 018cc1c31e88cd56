"""Which files are accepted, judged by their bytes, and how their names are kept harmlessly.

The allowlist is short and the office formats are ZIP archives told apart only by
what they contain, which generic magic-number libraries guess at: so the check is
written out here, reading the archive's directory with the standard library.
"""

import codecs
import os
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from portal.documents.parsing import check_zip_directory


@dataclass(frozen=True)
class FileType:
    content_type: str
    extensions: tuple[str, ...]
    kind: str  # what text extraction to use: pdf, docx, odt, text or none


PDF = FileType("application/pdf", (".pdf",), "pdf")
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",), "docx"
)
XLSX = FileType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",), "none"
)
PPTX = FileType(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation", (".pptx",), "none"
)
ODT = FileType("application/vnd.oasis.opendocument.text", (".odt",), "odt")
ZIP = FileType("application/zip", (".zip",), "none")
PNG = FileType("image/png", (".png",), "none")
JPEG = FileType("image/jpeg", (".jpg", ".jpeg"), "none")
MARKDOWN = FileType("text/markdown", (".md", ".markdown"), "text")
TEXT = FileType("text/plain", (".txt", ".text", ".csv"), "text")

ALLOWED = (PDF, DOCX, XLSX, PPTX, ODT, ZIP, PNG, JPEG, MARKDOWN, TEXT)
CONTENT_TYPES = {t.content_type for t in ALLOWED}

_OOXML_PARTS = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))


def detect(path: Path, file_name: str) -> FileType | None:
    """The file's type from its bytes, or None when it is not one we accept.

    The name's extension must agree with the bytes: an HTML page named `.pdf`
    is refused rather than stored as text. An archive whose directory is too large
    to list safely raises `parsing.Refused`.
    """
    with path.open("rb") as handle:
        head = handle.read(8)
    found = _by_bytes(path, head)
    if found is None:
        return None
    extension = os.path.splitext(file_name)[1].lower()
    if found.kind == "text":
        return (
            MARKDOWN
            if extension in MARKDOWN.extensions
            else TEXT
            if extension in (TEXT.extensions)
            else None
        )
    return found if extension in found.extensions else None


def _by_bytes(path: Path, head: bytes) -> FileType | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(path)
    return MARKDOWN if _is_utf8_text(path) else None


def _zip_kind(path: Path) -> FileType | None:
    check_zip_directory(path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                with archive.open("mimetype") as member:  # a few bytes, never the whole member
                    mimetype = member.read(100).strip()
                return ODT if mimetype == ODT.content_type.encode() else ZIP
            if "[Content_Types].xml" in names:
                for prefix, kind in _OOXML_PARTS:
                    if any(name.startswith(prefix) for name in names):
                        return kind
            return ZIP
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError, zlib.error):
        return None


def _is_utf8_text(path: Path, chunk_size: int = 1024 * 1024) -> bool:
    """Valid UTF-8 without NUL, read in chunks (a multi-byte character may span two)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_size):
            if b"\x00" in chunk:
                return False
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                return False
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {
    f"{p}{n}" for p in ("COM", "LPT") for n in range(10)
}
MAX_NAME_LENGTH = 200


def safe_file_name(raw: str | None) -> str:
    """The uploader's file name kept as data: no folders, controls, reserved device names.

    It never becomes a path on our disk (files are stored under random keys); it is
    offered back in Content-Disposition, so it must also be harmless on the reader's.
    """
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip().lstrip(".").strip()
    stem, extension = os.path.splitext(name)
    if stem.upper().split(".")[0] in WINDOWS_RESERVED:
        name = f"_{name}"
    if len(name) > MAX_NAME_LENGTH:
        name = stem[: MAX_NAME_LENGTH - len(extension[:20])] + extension[:20]
    return name or "document"

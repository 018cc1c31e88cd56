"""The text of an uploaded file, for search: PDF, DOCX, ODT, plain text and Markdown."""

import logging
import unicodedata
from pathlib import Path

from docx import Document
from odf import teletype
from odf.opendocument import load
from odf.text import P
from pypdf import PdfReader

from portal.documents.filetypes import FileType

log = logging.getLogger(__name__)

MAX_TEXT_CHARACTERS = 1_000_000  # enough to find a document; the file itself is untouched


def extract_text(path: Path, file_type: FileType, max_file_size: int) -> str:
    """Best effort: a file we cannot read is still stored, it is only found by its title."""
    if file_type.kind == "none" or path.stat().st_size > max_file_size:
        return ""
    try:
        text = _EXTRACTORS[file_type.kind](path)
    except Exception as error:  # a malformed file must not stop the upload
        # The file's text never reaches the log, only what went wrong.
        log.warning("text extraction failed (%s): %s", file_type.kind, type(error).__name__)
        return ""
    return unicodedata.normalize("NFC", text.replace("\x00", ""))[:MAX_TEXT_CHARACTERS]


def _pdf(path: Path) -> str:
    reader = PdfReader(path)
    parts, length = [], 0
    for page in reader.pages:
        text = page.extract_text() or ""
        parts.append(text)
        length += len(text)
        if length > MAX_TEXT_CHARACTERS:
            break
    return "\n".join(parts)


def _docx(path: Path) -> str:
    document = Document(str(path))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def _odt(path: Path) -> str:
    document = load(str(path))
    return "\n".join(teletype.extractText(p) for p in document.getElementsByType(P))


def _text(path: Path) -> str:
    with path.open("r", encoding="utf-8", errors="replace") as handle:
        return handle.read(MAX_TEXT_CHARACTERS)


_EXTRACTORS = {"pdf": _pdf, "docx": _docx, "odt": _odt, "text": _text}

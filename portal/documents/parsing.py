"""Reading the text of an uploaded PDF, DOCX or ODT within fixed bounds.

This module runs in a child process started by `extraction.py` as a plain script (`python -I
parsing.py ...`): it imports only the standard library and pypdf, so the process that parses a
stranger's file loads no app, no configuration and no secret, and it limits itself (address
space, CPU time, no files written) before it opens the file. Whatever a file does to it, the
web worker only sees an exit status.

The bounds, checked before anything is inflated:
- a ZIP archive (DOCX, ODT) is listed only when its end record promises a small directory;
- the one part whose text is read (word/document.xml, content.xml) must declare a bounded
  size and compression ratio; its inflation is streamed and capped at that size anyway;
- its XML is read as a stream of events, never as a tree: no DTD, so no entities to expand,
  and nesting deeper than any real document is refused;
- PDF streams are inflated up to a cap, and only the first pages are read;
- the text kept stops at MAX_TEXT_CHARACTERS, whatever the file holds.
"""

import os
import resource
import struct
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.parsers import expat

MAX_TEXT_CHARACTERS = 1_000_000  # enough to find a document; the file itself is untouched
MAX_ZIP_MEMBERS = 10_000
MAX_ZIP_DIRECTORY_BYTES = 1024**2  # listing it costs the reader about ten times as much
MAX_ARCHIVE_BYTES = 512 * 1024**2  # declared, all members together
MAX_PART_BYTES = 64 * 1024**2  # declared size of the XML part whose text is read
MAX_COMPRESSION_RATIO = 100  # real office XML compresses 5 to 20 times
RATIO_FREE_BYTES = 1024**2  # a part this small may compress as well as it likes
MAX_XML_DEPTH = 200
MAX_PDF_PAGES = 2_000
MAX_PDF_STREAM_BYTES = 16 * 1024**2
CHUNK_SIZE = 64 * 1024

REFUSED_EXIT = 3  # the child's status for "beyond a bound": the text is not read

_END = b"PK\x05\x06"
_END64_LOCATOR = b"PK\x06\x07"
_END64 = b"PK\x06\x06"
_END_SEARCH = 22 + 65_536  # the end record and its longest comment: zipfile's window


class Refused(Exception):
    """The file goes beyond a bound; its text is not read."""


# ZIP archives ---------------------------------------------------------------------------


def check_zip_directory(path: Path) -> None:
    """Refuse an archive whose directory is too large to list, judged from its end record.

    `zipfile` reads the whole central directory and builds an object per member: a
    hostile archive could make that cost hundreds of megabytes before any check of
    ours ran. The end record (and its ZIP64 twin) says how large the directory is; it
    is found exactly as `zipfile` finds it, so both read the same record.
    """
    with path.open("rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        start = max(0, size - _END_SEARCH)
        handle.seek(start)
        tail = handle.read()
        at = _end_record(tail)
        if at is None:
            return  # not an archive zipfile can open either
        members, directory = struct.unpack("<HI", tail[at + 10 : at + 16])
        _check_directory(members, directory)
        # zipfile reads a ZIP64 end record just before its locator, just before this one.
        record_at = start + at - 20 - 56
        if record_at >= 0:
            handle.seek(record_at)
            record = handle.read(76)
            if record.startswith(_END64) and record[56:].startswith(_END64_LOCATOR):
                members, directory = struct.unpack("<QQ", record[32:48])
                _check_directory(members, directory)


def _end_record(tail: bytes) -> int | None:
    """Where the end record starts in the file's last bytes: the last 22 bytes when they
    are one without a comment, else the last signature (zipfile's own order)."""
    if tail[-22:-18] == _END and tail[-2:] == b"\0\0":
        return len(tail) - 22
    at = tail.rfind(_END)
    return at if at >= 0 and len(tail) - at >= 22 else None


def _check_directory(members: int, directory: int) -> None:
    if members > MAX_ZIP_MEMBERS or directory > MAX_ZIP_DIRECTORY_BYTES:
        raise Refused("archive directory too large")


def _check_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    declared = sum(member.file_size for member in archive.infolist())
    if declared > MAX_ARCHIVE_BYTES or info.file_size > MAX_PART_BYTES:
        raise Refused("declared size too large")
    if info.file_size > RATIO_FREE_BYTES and (
        info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
    ):
        raise Refused("compression ratio too high")


def _zip_part_text(path: Path, part: str, reader: "Callable[[], _XmlText]") -> str:
    check_zip_directory(path)
    with zipfile.ZipFile(path) as archive:
        if len(archive.infolist()) > MAX_ZIP_MEMBERS:
            raise Refused("too many members")
        info = archive.getinfo(part)
        _check_part(archive, info)
        with archive.open(info) as stream:  # inflates at most the declared size
            return reader().read(stream, info.file_size)


# XML, as a stream of events --------------------------------------------------------------


class _Enough(Exception):
    """Text enough has been read."""


class _XmlText:
    """The character data of chosen elements, with line breaks and tabs where they stand."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.depth = 0
        self.inside = 0  # how many open elements whose character data is text

    def read(self, stream, limit: int) -> str:
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = _refuse_dtd
        parser.EntityDeclHandler = _refuse_dtd
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._characters
        read = 0
        try:
            while chunk := stream.read(CHUNK_SIZE):
                read += len(chunk)
                if read > limit:
                    raise Refused("part larger than declared")
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except _Enough:
            pass
        return "".join(self.parts)[:MAX_TEXT_CHARACTERS]

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)
        if self.length >= MAX_TEXT_CHARACTERS:
            raise _Enough()

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        if self.depth > MAX_XML_DEPTH:
            raise Refused("XML nested too deeply")
        self.opened(name, attributes)

    def _end(self, name: str) -> None:
        self.depth -= 1
        self.closed(name)

    def _characters(self, data: str) -> None:
        if self.inside:
            self.add(data)

    def opened(self, name: str, attributes: dict[str, str]) -> None: ...

    def closed(self, name: str) -> None: ...


def _refuse_dtd(*_args) -> None:
    raise Refused("XML with a DTD")


WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main "
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0 "


class _WordText(_XmlText):
    """word/document.xml: runs of text (w:t), tabs, breaks; a line per paragraph."""

    def opened(self, name: str, attributes: dict[str, str]) -> None:
        if name == WORD + "t":
            self.inside += 1
        elif name == WORD + "tab":
            self.add("\t")
        elif name in (WORD + "br", WORD + "cr"):
            self.add("\n")

    def closed(self, name: str) -> None:
        if name == WORD + "t":
            self.inside -= 1
        elif name == WORD + "p":
            self.add("\n")


class _OpenDocumentText(_XmlText):
    """content.xml: paragraphs and headings with their spans; spaces, tabs, line breaks."""

    BLOCKS = (TEXT + "p", TEXT + "h")

    def opened(self, name: str, attributes: dict[str, str]) -> None:
        if name in self.BLOCKS:
            self.inside += 1
        elif name == TEXT + "s":
            count = attributes.get(TEXT + "c", "1")
            self.add(" " * min(int(count) if count.isdigit() else 1, 100))
        elif name == TEXT + "tab":
            self.add("\t")
        elif name == TEXT + "line-break":
            self.add("\n")

    def closed(self, name: str) -> None:
        if name in self.BLOCKS:
            self.inside -= 1
            self.add("\n")


# The extractors ---------------------------------------------------------------------------


def docx_text(path: Path) -> str:
    return _zip_part_text(path, "word/document.xml", _WordText)


def odt_text(path: Path) -> str:
    return _zip_part_text(path, "content.xml", _OpenDocumentText)


def pdf_text(path: Path) -> str:
    import pypdf  # here, not above: a child reading a DOCX or ODT starts faster without it

    pypdf.overwrite_configuration(
        maximum_declared_stream_length=MAX_PDF_STREAM_BYTES,
        array_based_stream_maximum_output_length=MAX_PDF_STREAM_BYTES,
        lzw_maximum_output_length=MAX_PDF_STREAM_BYTES,
        run_length_maximum_output_length=MAX_PDF_STREAM_BYTES,
        zlib_maximum_output_length=MAX_PDF_STREAM_BYTES,
        brotli_maximum_output_length=MAX_PDF_STREAM_BYTES,
        image_maximum_buffer_size=MAX_PDF_STREAM_BYTES,
    )
    reader = pypdf.PdfReader(path)
    parts, length = [], 0
    for number, page in enumerate(reader.pages):
        if number >= MAX_PDF_PAGES or length >= MAX_TEXT_CHARACTERS:
            break
        text = page.extract_text() or ""
        parts.append(text)
        length += len(text) + 1
    return "\n".join(parts)[:MAX_TEXT_CHARACTERS]


EXTRACTORS: dict[str, Callable[[Path], str]] = {
    "pdf": pdf_text,
    "docx": docx_text,
    "odt": odt_text,
}


# The child process ------------------------------------------------------------------------


def limit_this_process(memory_bytes: int, cpu_seconds: int) -> None:
    """Bounds the kernel enforces: memory, CPU time, no core dumps, no files written."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def main(argv: list[str]) -> int:
    """`parsing.py KIND PATH MEMORY_BYTES CPU_SECONDS`: the text on stdout, UTF-8."""
    kind, path, memory_bytes, cpu_seconds = argv[1], Path(argv[2]), int(argv[3]), int(argv[4])
    limit_this_process(memory_bytes, cpu_seconds)
    try:
        text = EXTRACTORS[kind](path)
    except Refused:
        return REFUSED_EXIT
    sys.stdout.buffer.write(text.encode("utf-8", "replace"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""The text of an uploaded file, for search: PDF, DOCX, ODT, plain text and Markdown.

PDF, DOCX and ODT are parsed in a child process (`parsing.py`) that the kernel bounds in
memory and CPU time and that is killed after a wall-clock timeout: a compression bomb or a
parser caught in a loop costs that child, never the web worker. A file whose text cannot be
read within the bounds is still stored, marked as not indexed: it is found by its title and
description, and its page says so. Plain text is read here, a bounded prefix of it.
"""

import logging
import os
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from portal.documents import parsing
from portal.documents.filetypes import FileType

log = logging.getLogger(__name__)

MAX_TEXT_CHARACTERS = parsing.MAX_TEXT_CHARACTERS
_PARSER = Path(parsing.__file__)
_STARTUP_SECONDS = 5  # the child's interpreter and pypdf, before its CPU clock matters


@dataclass(frozen=True)
class ExtractionLimits:
    max_file_bytes: int  # larger files are found by title only
    memory_bytes: int  # address space of the child
    seconds: int  # CPU time of the child; its wall-clock time is bounded a little above

    @classmethod
    def from_config(cls, config) -> "ExtractionLimits":
        return cls(
            max_file_bytes=config.get("DOCUMENT_EXTRACT_MAX_BYTES", 30 * 1024**2),
            memory_bytes=config.get("DOCUMENT_EXTRACT_MEMORY_BYTES", 512 * 1024**2),
            seconds=config.get("DOCUMENT_EXTRACT_SECONDS", 10),
        )


@dataclass(frozen=True)
class Extracted:
    text: str
    indexed: bool  # False: the file has text we did not read (bounds, malformed, too large)


def extract_text(path: Path, file_type: FileType, limits: ExtractionLimits) -> Extracted:
    """Best effort: a file we cannot read is still stored, it is only found by its title."""
    if file_type.kind == "none":
        return Extracted("", indexed=True)
    if path.stat().st_size > limits.max_file_bytes:
        return Extracted("", indexed=False)
    if file_type.kind == "text":
        text = _plain_text(path)
    else:
        text = _parse_in_child(path, file_type.kind, limits)
    if text is None:
        return Extracted("", indexed=False)
    return Extracted(_clean(text), indexed=True)


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\x00", ""))[:MAX_TEXT_CHARACTERS]


def _plain_text(path: Path) -> str:
    with path.open("r", encoding="utf-8", errors="replace") as handle:
        return handle.read(MAX_TEXT_CHARACTERS)


def _parse_in_child(path: Path, kind: str, limits: ExtractionLimits) -> str | None:
    """The child's text, or None when it refused, failed or ran out of time or memory.

    `-I`: the child ignores PYTHON* variables and the current folder; its environment
    holds nothing of ours (no database address, no secret key).
    """
    command = [
        sys.executable,
        "-I",
        str(_PARSER),
        kind,
        str(path),
        str(limits.memory_bytes),
        str(limits.seconds),
    ]
    try:
        child = subprocess.Popen(  # noqa: S603 - our interpreter and script, no shell
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={"PATH": os.environ.get("PATH", "")},
            cwd=path.parent,
        )
    except OSError as error:  # no process to spare: the upload still goes through
        _not_indexed(kind, f"no child process ({type(error).__name__})")
        return None
    try:
        output, _ = child.communicate(timeout=limits.seconds + _STARTUP_SECONDS)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        _not_indexed(kind, "timed out")
        return None
    if child.returncode != 0:
        reason = "beyond a bound" if child.returncode == parsing.REFUSED_EXIT else "failed"
        _not_indexed(kind, f"{reason} (status {child.returncode})")
        return None
    return output.decode("utf-8", "replace")


def _not_indexed(kind: str, reason: str) -> None:
    # Only what went wrong reaches the log, never the file's text.
    log.warning("text of a %s file not indexed: %s", kind, reason)

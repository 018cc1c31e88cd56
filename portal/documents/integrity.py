"""Stored files checked against the SHA-256 taken when they were uploaded (SECURITY line 27).

A file damaged on disk must never reach a reader as if it were the document. Small files are
checked whole before the first byte is sent, so the reader gets an error page instead.
Large ones are checked while they stream (they never sit whole in memory): the last chunk is
held back until the checksum is known, so a damaged file is never delivered complete — the
download fails in the browser — and the damage is logged for the administrators.
`flask documents verify` checks every stored version, for cron.
"""

import hashlib
import logging
from collections.abc import Iterator
from typing import IO

import click
from flask.cli import AppGroup
from sqlalchemy import select

from portal.core.extensions import db
from portal.documents.models import DocumentVersion
from portal.documents.storage import document_storage

log = logging.getLogger(__name__)

CHUNK_SIZE = 1024 * 1024
STREAM_READ_SIZE = 256 * 1024
# Files up to this size are read twice (checked, then sent) so a damaged one gets a clear page.
CHECK_BEFORE_SENDING_UP_TO = 8 * CHUNK_SIZE


class DamagedFile(Exception):
    """The stored bytes no longer match the size or checksum recorded at upload."""


def matches(handle: IO[bytes], size: int, sha256: str) -> bool:
    """Whether the whole file has the recorded size and checksum; leaves it at its start."""
    digest, seen = hashlib.sha256(), 0
    while chunk := handle.read(CHUNK_SIZE):
        digest.update(chunk)
        seen += len(chunk)
    handle.seek(0)
    return seen == size and digest.hexdigest() == sha256


class VerifyingReader:
    """A file-like reader that hashes what it hands out and, one chunk behind, refuses to hand
    out the last chunk of a file whose checksum does not match.

    Without `fileno`, the WSGI server cannot bypass it with sendfile: every byte passes here.
    """

    def __init__(self, handle: IO[bytes], size: int, sha256: str, label: str) -> None:
        self._handle, self._size, self._sha256, self._label = handle, size, sha256, label
        self._digest, self._seen = hashlib.sha256(), 0
        self._pending: bytes | None = None

    def read(self, size: int = CHUNK_SIZE) -> bytes:
        if self._pending is None:
            self._pending = self._next(size)
        chunk = self._next(size)
        if not chunk:
            self._verify()
        ready, self._pending = self._pending, chunk
        return ready

    def _next(self, size: int) -> bytes:
        # The server asks for 8 KB at a time; larger reads cost less Python per megabyte.
        chunk = self._handle.read(max(size, STREAM_READ_SIZE))
        self._digest.update(chunk)
        self._seen += len(chunk)
        return chunk

    def _verify(self) -> None:
        if self._seen != self._size or self._digest.hexdigest() != self._sha256:
            log.error("stored file damaged, download stopped: %s", self._label)
            self.close()
            raise DamagedFile(self._label)

    def close(self) -> None:
        self._handle.close()


def open_verified(storage, version: DocumentVersion) -> VerifyingReader:
    """The stored file of `version` to send, checked against its checksum: whole before
    sending when small (DamagedFile, so the reader gets a page), else while it streams."""
    handle = storage.open(version.storage_key)
    label = f"document {version.document_id} version {version.number}"
    if version.size <= CHECK_BEFORE_SENDING_UP_TO and not matches(
        handle, version.size, version.sha256
    ):
        handle.close()
        log.error("stored file damaged, download refused: %s", label)
        raise DamagedFile(label)
    return VerifyingReader(handle, version.size, version.sha256, label)


def damaged_versions(session, storage) -> Iterator[str]:
    """A line for each stored version whose file is missing or no longer matches its checksum."""
    query = select(DocumentVersion).order_by(DocumentVersion.id).execution_options(yield_per=500)
    for version in session.scalars(query):
        label = f"document {version.document_id} version {version.number}"
        try:
            with storage.open(version.storage_key) as handle:
                intact = matches(handle, version.size, version.sha256)
        except FileNotFoundError:
            yield f"{label}: file missing"
            continue
        if not intact:
            yield f"{label}: checksum mismatch"


documents_cli = AppGroup("documents", help="The stored document files.")


@documents_cli.command("verify")
def verify_command() -> None:
    """Check every stored version against its SHA-256; exit 1 if any is damaged (for cron)."""
    damaged = 0
    for line in damaged_versions(db.session, document_storage()):
        damaged += 1
        click.echo(line, err=True)
    click.echo(f"{damaged} damaged file(s)")
    if damaged:
        raise SystemExit(1)

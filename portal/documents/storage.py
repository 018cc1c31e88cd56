"""Where document files live: under random names, written completely before anyone sees them.

`Storage` is what the rest of the code uses; `LocalStorage` keeps files in a folder
of the instance (a shared volume when several app servers run). An S3-compatible
backend would implement the same four methods: receive, open, delete, and the
`Incoming.keep` step that makes a received file permanent.
"""

import hashlib
import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import IO, Protocol

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

CHUNK_SIZE = 1024 * 1024


class TooLarge(Exception):
    """The stream went past the size the caller allows."""


class Incoming(Protocol):
    path: Path  # a local copy to inspect (type, text) before keeping it
    size: int
    sha256: str

    def keep(self) -> str:
        """Make the file permanent and return its storage key."""


class Storage(Protocol):
    def receive(self, stream: IO[bytes], max_size: int) -> AbstractContextManager[Incoming]: ...

    def open(self, key: str) -> IO[bytes]: ...

    def delete(self, key: str) -> None: ...


class _LocalIncoming:
    def __init__(self, storage: "LocalStorage", path: Path, size: int, sha256: str) -> None:
        self._storage = storage
        self.path = path
        self.size = size
        self.sha256 = sha256
        self.key: str | None = None

    def keep(self) -> str:
        key = secrets.token_hex(20)
        target = self._storage.path_of(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.path, target)  # atomic within one file system
        _fsync_directory(target.parent)
        self.key = key
        return key


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.incoming = self.root / "incoming"

    def path_of(self, key: str) -> Path:
        if len(key) != 40 or not all(c in "0123456789abcdef" for c in key):
            raise ValueError("not a storage key")
        return self.root / key[:2] / key

    @contextmanager
    def receive(self, stream: IO[bytes], max_size: int) -> Iterator[_LocalIncoming]:
        """Copy the stream in chunks into a temporary file while hashing it, then fsync.

        Whatever happens before `keep()`, the temporary file is removed on leaving.
        """
        self.incoming.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=self.incoming, prefix="upload-")
        path = Path(name)
        try:
            digest, size = hashlib.sha256(), 0
            with os.fdopen(handle, "wb") as out:
                while chunk := stream.read(CHUNK_SIZE):
                    size += len(chunk)
                    if size > max_size:
                        raise TooLarge()
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            incoming = _LocalIncoming(self, path, size, digest.hexdigest())
            yield incoming
        finally:
            path.unlink(missing_ok=True)  # gone already when kept

    def open(self, key: str) -> IO[bytes]:
        return self.path_of(key).open("rb")

    def delete(self, key: str) -> None:
        self.path_of(key).unlink(missing_ok=True)


def _fsync_directory(path: Path) -> None:
    """The rename itself must reach the disk, not only the file's bytes."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def document_storage() -> LocalStorage:
    root = current_app.config.get("DOCUMENT_STORAGE_PATH") or os.path.join(
        current_app.instance_path, "documents"
    )
    return LocalStorage(Path(root))


# Files kept during a transaction that is then rolled back are deleted: no file without its row.
_KEPT = "documents_kept_files"


def forget_on_rollback(session: Session, storage: Storage, key: str) -> None:
    session.info.setdefault(_KEPT, []).append((storage, key))


@event.listens_for(Session, "after_commit")
def _files_are_committed(session: Session) -> None:
    session.info.pop(_KEPT, None)


@event.listens_for(Session, "after_soft_rollback")
def _delete_uncommitted_files(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is not None:
        return  # a savepoint: the outer transaction decides
    for storage, key in session.info.pop(_KEPT, []):
        storage.delete(key)

"""A stored document version as an HTTP download.

Documents and training materials both serve versions this way, so it lives outside any
views module: a feature's views never import another feature's views.

Behind nginx with `DOCUMENT_ACCEL_REDIRECT` set (deploy/nginx-portal.conf), the app checks
the reader's rights and answers with the headers only, plus `X-Accel-Redirect` naming the
stored file under that internal location; nginx then sends the bytes and the gunicorn
worker is free at once instead of streaming 100 MB. A file up to 8 MB is still checked
against its SHA-256 before that answer; a larger one is then not checked as it goes out
(nginx cannot), so run `flask documents verify` daily (deploy/portal-verify.timer).
"""

import io
import logging

from flask import Response, current_app, send_file

from portal.documents.integrity import (
    CHECK_BEFORE_SENDING_UP_TO,
    DamagedFile,
    matches,
    open_verified,
)
from portal.documents.models import DocumentVersion
from portal.documents.storage import document_storage

log = logging.getLogger(__name__)


def version_file_response(version: DocumentVersion) -> Response:
    """The version's verified bytes as an attachment nobody caches or sniffs."""
    label = f"document {version.document_id} version {version.number}"
    if current_app.config.get("DOCUMENT_ACCEL_REDIRECT"):
        return accelerated_response(
            version.storage_key, version.size, version.sha256, version.content_type,
            version.file_name, label,
        )  # fmt: skip
    return attachment_headers(
        send_file(
            open_verified(document_storage(), version),
            mimetype=version.content_type,
            as_attachment=True,
            download_name=version.file_name,
            etag=version.sha256,
            max_age=0,
        ),
        version.size,
    )


def attachment_headers(response: Response, size: int) -> Response:
    response.content_length = size
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def accelerated_response(
    key: str, size: int, sha256: str, content_type: str, file_name: str, label: str
) -> Response:
    """Headers only, and where nginx finds the stored file (its internal location)."""
    storage = document_storage()
    if size <= CHECK_BEFORE_SENDING_UP_TO:
        with storage.open(key) as handle:
            if not matches(handle, size, sha256):
                log.error("stored file damaged, download refused: %s", label)
                raise DamagedFile(label)
    response = send_file(
        io.BytesIO(),
        mimetype=content_type,
        as_attachment=True,
        download_name=file_name,  # the same Content-Disposition as a streamed download
        etag=sha256,
        max_age=0,
    )
    if response.status_code == 304:
        return response  # the reader has it already: nothing for nginx to send
    prefix = current_app.config["DOCUMENT_ACCEL_REDIRECT"].rstrip("/")
    relative = storage.path_of(key).relative_to(storage.root).as_posix()
    response.headers["X-Accel-Redirect"] = f"{prefix}/{relative}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response

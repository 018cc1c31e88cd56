"""A bulletin's attachment as an HTTP download, checked against its SHA-256 as documents are."""

import logging

from flask import Response, current_app, send_file

from portal.csirt.models import Attachment
from portal.documents.downloads import accelerated_response
from portal.documents.integrity import (
    CHECK_BEFORE_SENDING_UP_TO,
    DamagedFile,
    VerifyingReader,
    matches,
)
from portal.documents.storage import document_storage

log = logging.getLogger(__name__)


def attachment_response(attachment: Attachment) -> Response:
    label = f"csirt bulletin {attachment.bulletin_id} attachment {attachment.id}"
    if current_app.config.get("DOCUMENT_ACCEL_REDIRECT"):  # nginx sends it (deploy/)
        return accelerated_response(
            attachment.storage_key, attachment.size, attachment.sha256,
            attachment.content_type, attachment.file_name, label,
        )  # fmt: skip
    handle = document_storage().open(attachment.storage_key)
    if attachment.size <= CHECK_BEFORE_SENDING_UP_TO and not matches(
        handle, attachment.size, attachment.sha256
    ):
        handle.close()
        log.error("stored file damaged, download refused: %s", label)
        raise DamagedFile(label)
    response = send_file(
        VerifyingReader(handle, attachment.size, attachment.sha256, label),
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.file_name,
        etag=attachment.sha256,
        max_age=0,
    )
    response.content_length = attachment.size
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response

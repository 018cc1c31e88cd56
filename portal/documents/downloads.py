"""A stored document version as an HTTP download.

Documents and training materials both serve versions this way, so it lives outside any
views module: a feature's views never import another feature's views.
"""

from flask import Response, send_file

from portal.documents.integrity import open_verified
from portal.documents.models import DocumentVersion
from portal.documents.storage import document_storage


def version_file_response(version: DocumentVersion) -> Response:
    """The version's verified bytes as an attachment nobody caches or sniffs."""
    response = send_file(
        open_verified(document_storage(), version),
        mimetype=version.content_type,
        as_attachment=True,
        download_name=version.file_name,
        etag=version.sha256,
        max_age=0,
    )
    response.content_length = version.size
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response

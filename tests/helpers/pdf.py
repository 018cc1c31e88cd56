"""A downloaded PDF as the text a reader would see."""

import io

from pypdf import PdfReader


def pdf_text(response) -> str:
    """The text of a PDF download, whitespace collapsed; asserts it is one."""
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    reader = PdfReader(io.BytesIO(response.data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)

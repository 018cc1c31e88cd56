"""Documents made through the real services (files stored, text indexed), for the tests."""

import io

import pytest

from portal.core.extensions import db
from portal.core.tlp import TLP
from portal.documents import services
from portal.documents.models import DocumentCategory, DocumentLanguage


def upload_form(**overrides) -> dict:
    """The fields of the upload form, as a browser sends them."""
    fields = {
        "title": "National cybersecurity strategy",
        "description_md": "Our *strategy*.",
        "language": "es",
        "category": "national_strategy",
        "tags": "strategy, csirt",
        "tlp": "green",
        "file": (io.BytesIO(b"Estrategia nacional de ciberseguridad"), "estrategia.txt"),
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def make_document(app):
    """make_document(author, tlp=..., group=..., ...) -> the document's id, committed."""

    def make(
        author,
        *,
        mou,
        group=None,
        tlp=TLP.GREEN,
        title="Incident response protocol",
        description="",
        content: bytes = b"Protocol for incident response between CSIRTs.",
        file_name="protocol.txt",
        language=DocumentLanguage.ENGLISH,
        category=DocumentCategory.PROTOCOL,
        readers=(),
        tags=(),
    ) -> int:
        with app.test_request_context():
            author_ = db.session.merge(author)
            mou_ = db.session.merge(mou)
            group_ = db.session.merge(group) if group is not None else None
            document = services.create_document(
                db.session,
                author_,
                mou_,
                group_,
                services.DocumentData(
                    title=title,
                    description_md=description,
                    language=language,
                    category=category,
                    tags=list(tags),
                    tlp=tlp,
                    reader_ids=[r.id for r in readers],
                ),
                services.Upload(io.BytesIO(content), file_name, "First version"),
            )
            db.session.commit()
            return document.id

    return make

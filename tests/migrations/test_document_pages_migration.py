"""Revision 0047_document_pages: the kept document pages' table goes down and up on a
populated database (the demo data), leaving the documents as they were; it comes back
empty, and the next reader of a document keeps its page there."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select

from portal.core.extensions import db
from portal.documents.models import Document, DocumentPage
from portal.documents.page import keep_pages
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import (  # noqa: F401  (a fixture)
    demo_app,
    revision_below,
    schema_differences,
)

REVISION = "0047_document_pages"


def _documents() -> int:
    return db.session.scalar(select(func.count()).select_from(Document))


def test_the_document_pages_go_down_and_up_with_data_in_it(demo_app):  # noqa: F811
    with demo_app.app_context():
        before = _documents()
        assert before > 0
        db.session.commit()

        downgrade(directory=MIGRATIONS, revision=revision_below(REVISION))
        db.session.remove()
        assert "document_pages" not in inspect(db.engine).get_table_names()
        assert _documents() == before
        db.session.commit()

        upgrade(directory=MIGRATIONS)
        db.session.remove()
        assert _documents() == before
        assert db.session.scalar(select(func.count()).select_from(DocumentPage)) == 0
        document_id = db.session.scalar(select(Document.id).order_by(Document.id))
        with demo_app.test_request_context():
            keep_pages(db.session, [document_id])
            db.session.commit()
        kept = db.session.scalars(select(DocumentPage.language)).all()
        assert sorted(kept) == sorted(demo_app.config["LANGUAGES"])
        assert schema_differences(demo_app) == []

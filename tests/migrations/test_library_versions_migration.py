"""Revision 0036_library_versions: the library's and the document page's versions go down and
up on a populated database (the demo data), leaving the rows as they were; they come back
at 1 and are raised by the next change of a document."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select

from portal.core.extensions import db
from portal.documents.models import Document
from portal.mous.models import Mou
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import (  # noqa: F401  (a fixture)
    demo_app,
    revision_below,
    schema_differences,
)

REVISION = "0036_library_versions"


def _columns() -> set[str]:
    names = set()
    for table in ("mous", "documents"):
        names.update(f"{table}.{c['name']}" for c in inspect(db.engine).get_columns(table))
    return names


def _counts() -> dict[str, int]:
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Mou, Document)
    }


def test_the_library_versions_go_down_and_up_with_data_in_them(demo_app):  # noqa: F811
    versions = {"mous.library_version", "documents.page_version"}
    with demo_app.app_context():
        before = _counts()
        assert before["mous"] > 0 and before["documents"] > 0
        assert versions <= _columns()
        db.session.commit()

        downgrade(directory=MIGRATIONS, revision=revision_below(REVISION))
        db.session.remove()
        assert not versions & _columns()
        assert _counts() == before
        db.session.commit()

        upgrade(directory=MIGRATIONS)
        db.session.remove()
        assert _counts() == before
        assert set(db.session.scalars(select(Mou.library_version))) == {1}
        assert set(db.session.scalars(select(Document.page_version))) == {1}
        document = db.session.scalars(select(Document)).first()
        document.title_en = "Retitled after the migration"
        db.session.commit()
        assert db.session.get(Document, document.id).page_version == 2
        assert db.session.get(Mou, document.mou_id).library_version == 2
        db.session.commit()
    assert schema_differences(demo_app) == []

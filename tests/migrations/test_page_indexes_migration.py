"""Revision 0028_page_indexes: the indexes of the slow pages go down and up on a populated
database (the demo data), leaving the rows as they were. On PostgreSQL the portal's
connections run without JIT compiling (portal/__init__.py)."""

from sqlalchemy import text

from portal.core.extensions import db
from tests.helpers.migrations import (  # noqa: F401  (fixtures)
    assert_indexes_go_down_and_up,
    demo_app,
    fresh_app,
)

REVISION = "0028_page_indexes"
INDEXES = {
    ("meetings", "ix_meetings_group_end"),
    ("documents", "ix_documents_created_at"),
    ("documents", "ix_documents_group_updated"),
}


def test_the_page_indexes_go_down_and_up_with_data_in_them(demo_app):  # noqa: F811
    assert_indexes_go_down_and_up(demo_app, REVISION, INDEXES)


def test_the_portals_connections_do_not_jit_compile(fresh_app):  # noqa: F811
    with fresh_app.app_context():
        if db.engine.dialect.name == "postgresql":
            assert db.session.scalar(text("SHOW jit")) == "off"

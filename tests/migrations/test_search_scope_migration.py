"""Revision 0034_search_scope: the documents' partial index on (updated_at, id), which the
search page reads newest first for a common word, goes down and up on a populated database
(the demo data), leaving the rows as they were."""

from tests.helpers.migrations import (  # noqa: F401  (fixtures)
    assert_indexes_go_down_and_up,
    demo_app,
)

REVISION = "0034_search_scope"
INDEX = ("documents", "ix_documents_searchable_updated")


def test_the_documents_index_by_date_goes_down_and_up_with_data_in_it(demo_app):  # noqa: F811
    assert_indexes_go_down_and_up(demo_app, REVISION, {INDEX})

"""Revision 0037_action_list: the month calendar's index on the meetings' (start, end) goes
down and up on a populated database (the demo data), leaving the rows as they were."""

from tests.helpers.migrations import (  # noqa: F401  (fixtures)
    assert_indexes_go_down_and_up,
    demo_app,
)

REVISION = "0037_action_list"
INDEXES = {("meetings", "ix_meetings_start_end")}


def test_the_month_calendar_index_goes_down_and_up_with_data_in_them(demo_app):  # noqa: F811
    assert_indexes_go_down_and_up(demo_app, REVISION, INDEXES)

"""The permission matrix of find a time: the coordinators who schedule the group's meetings
open it (as they open the scheduling form); another delegation and people outside the group
are not told the group exists. The second group is Chile–Colombia's."""

import pytest

from tests.helpers.matrix import LOGIN, assert_pages, each_actor

# Columns: anon, admin, coord CL, coord GB, member CL (in group), member CL outside,
#          observer GB, external CL, member CO, coordinator CO.
# fmt: off
PAGES = {
    "/working-groups/{group}/meetings/find-a-time":
        (LOGIN, 200, 200, 200, 403, 404, 403, 404, 404, 404),
    "/working-groups/{group}/meetings/find-a-time?start=2026-12-01&end=2026-12-02":
        (LOGIN, 200, 200, 200, 403, 404, 403, 404, 404, 404),
    "/working-groups/{other_group}/meetings/find-a-time":
        (LOGIN, 200, 200, 404, 404, 404, 404, 404, 403, 200),
}
# fmt: on


@pytest.fixture
def ids(world) -> dict:
    return {"group": world.group.id, "other_group": world.group_cl_co.id}


@each_actor
def test_find_a_time_pages(actor, ids, browser_for):
    assert_pages(browser_for, actor, PAGES, ids)

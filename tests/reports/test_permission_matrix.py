"""The permission matrix of the implementation report: its page, CSV and PDF for every actor.

The report of the Chile–UK MoU is read by its parties' delegations (members outside a group
too) and the administrator; Colombia's people and the external participant learn nothing of
it (404, as for a missing MoU); anonymous visitors are sent to log in."""

from tests.helpers.matrix import LOGIN, assert_hidden_like_missing, assert_pages, each_actor

# Columns: anon, admin, coord CL, coord GB, member CL (in group), member CL outside,
#          observer GB, external CL, member CO, coordinator CO.
# fmt: off
PAGES = {
    "/mous/{mou}/report":                      (LOGIN, 200, 200, 200, 200, 200, 200, 404, 404, 404),
    "/mous/{mou}/report.csv":                  (LOGIN, 200, 200, 200, 200, 200, 200, 404, 404, 404),
    "/mous/{mou}/report.pdf?language=es":      (LOGIN, 200, 200, 200, 200, 200, 200, 404, 404, 404),
    "/mous/{mou_cl_co}/report":                (LOGIN, 200, 200, 404, 200, 200, 404, 404, 200, 200),
    "/mous/{mou_cl_co}/report.pdf":            (LOGIN, 200, 200, 404, 200, 200, 404, 404, 200, 200),
    "/mous/{mou}/report?first=2026-02-30":     (LOGIN, 422, 422, 422, 422, 422, 422, 404, 404, 404),
    "/mous/{missing}/report.csv":              (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
}
# fmt: on


@each_actor
def test_report_routes(actor, world, browser_for):
    ids = {"mou": world.mou.id, "mou_cl_co": world.mou_cl_co.id, "missing": 987654}
    assert_pages(browser_for, actor, PAGES, ids)


def test_a_report_outside_the_readers_mous_looks_exactly_like_a_missing_one(world, login_as):
    pages = ("/mous/{mou}/report", "/mous/{mou}/report.csv", "/mous/{mou}/report.pdf")
    assert_hidden_like_missing(login_as(world.member_co), pages, {"mou": world.mou.id}, "mou")

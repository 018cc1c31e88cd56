"""Search over everything, for every actor: each kind is found exactly by who may open it,
the same answer as the object's own page; the page itself refuses who may not search."""

import re

import pytest

from tests.helpers.matrix import LOGIN, assert_pages, each_actor, outcome
from tests.search.conftest import WORD

# Columns: anon, admin, coord CL, coord GB, member CL (in group, author), member CL outside,
#          observer GB, external CL, member CO, coordinator CO.
# fmt: off
PAGES = {
    "/search":                       (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200, 200),
    f"/search?q={WORD}":             (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200, 200),
    f"/search?q={WORD}&kind=minutes": (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200, 200),
}
# Which hits each actor is shown (a link to the object's page).
FOUND = {
    "/meetings/{meeting}":           (None, 1, 1, 1, 1, 0, 1, None, 0, 0),
    "/meetings/{meeting}#agenda":    (None, 1, 1, 1, 1, 0, 1, None, 0, 0),
    "/meetings/{recorded}/minutes":  (None, 1, 1, 1, 1, 0, 1, None, 0, 0),
    "/actions/{action}":             (None, 1, 1, 1, 1, 0, 1, None, 0, 0),
    "/trainings/{training}":         (None, 1, 1, 1, 1, 1, 1, None, 0, 0),
    "/documents/{document}":         (None, 1, 1, 1, 1, 1, 1, None, 0, 0),
    "/documents/{strict_document}":  (None, 1, 1, 0, 1, 0, 0, None, 0, 0),
    "/meetings/{other_meeting}":     (None, 1, 1, 0, 0, 0, 0, None, 1, 1),
}
# fmt: on
ACTORS = (
    "anonymous",
    "admin",
    "coordinator_cl",
    "coordinator_gb",
    "member_cl",
    "member_cl_outside_group",
    "observer_gb",
    "external_cl",
    "member_co",
    "coordinator_co",
)
HREF = re.compile(r'<li class="mb-3" data-kind="[a-z_]+">.*?href="([^"]+)"', re.S)


@each_actor
def test_the_search_page_answers_each_actor(actor, browser_for, found):
    assert_pages(browser_for, actor, PAGES, vars(found))


@each_actor
def test_each_kind_is_found_by_exactly_who_may_open_it(actor, browser_for, found):
    column = ACTORS.index(actor)
    if FOUND["/meetings/{meeting}"][column] is None:
        pytest.skip("refused the page itself (above)")
    browser = browser_for(actor)
    page = browser.get("/search", query_string={"q": WORD})
    shown = set(HREF.findall(page.get_data(as_text=True)))
    ids = vars(found)
    expected = {path.format(**ids) for path, row in FOUND.items() if row[column]}
    assert shown == expected
    # The same answer as the pages: every hit opens, and nothing that opens is missing.
    for path in FOUND:
        url = path.format(**ids)
        answer = outcome(browser.get(url.split("#")[0]))
        assert (answer == 200) == (url in shown), (url, answer)


def test_a_chilean_amber_strict_document_never_reaches_a_uk_member(login_as, world, found):
    for query in ("capacitaciones reservadas", "reservadas", "Capacitación"):
        for kind in ("", "document"):
            page = login_as(world.member_gb).get("/search", query_string={"q": query, "kind": kind})
            assert f"/documents/{found.strict_document}" not in page.get_data(as_text=True)
    page = login_as(world.member_cl).get("/search", query_string={"q": "reservadas"})
    assert f"/documents/{found.strict_document}" in page.get_data(as_text=True)

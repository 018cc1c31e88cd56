"""axe-core (the copy axe-playwright-python ships) finds no serious or critical violation on
the portal's pages, in English and Spanish. The production Content-Security-Policy stays as
it is: only the test's browser context bypasses it to run axe's script."""

import pytest

from tests.helpers.browser import DESKTOP, portal_pages, serious_violations, visit_in_both_languages

pytestmark = pytest.mark.one_backend  # a browser's run: once (tests/browser/conftest.py)


def test_axe_finds_no_serious_violation(app, live_server, chromium, world, session, login_as):
    pages = portal_pages(app, world, session, login_as)
    findings = visit_in_both_languages(
        chromium, live_server, app, world, pages, DESKTOP, serious_violations
    )
    assert not findings, "\n".join(findings)

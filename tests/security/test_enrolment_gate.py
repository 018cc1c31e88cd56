"""Administrators and coordinators without a second factor reach nothing but its set-up
(SECURITY 6): a walk of every route, as in test_deny_by_default."""

import pytest

from portal.accounts.models import Role
from portal.accounts.two_factor_views import ENROLMENT_ENDPOINTS
from portal.web.features import public_endpoints
from tests.conftest import csrf_token, login
from tests.factories import make_user
from tests.helpers.routes import example_url

SETUP = "/account/two-factor/setup"


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.COORDINATOR])
def test_every_route_but_set_up_logout_and_language_leads_to_set_up(app, world, session, role):
    person = make_user(session, world.cl, role, second_factor=False)
    session.commit()
    browser = app.test_client()
    login(browser, person)
    token = csrf_token(browser, SETUP)
    checked, wrong = [], []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ENROLMENT_ENDPOINTS:
            continue
        if rule.endpoint.startswith("api.") and rule.endpoint in public_endpoints(app):
            continue  # no session opens the API, enrolled or not (tests/api/test_tokens.py)
        url = example_url(rule)
        for method in sorted({"GET", "POST"} & rule.methods):
            if method == "GET":
                response = browser.get(url)
            else:
                response = browser.post(url, data={"csrf_token": token})
            checked.append(f"{method} {url}")
            if (response.status_code, response.headers.get("Location")) != (302, SETUP):
                wrong.append((method, url, response.status_code))
    assert wrong == []
    assert {"GET /", "GET /admin/accounts/", "POST /working-groups/1/members/1/remove"} <= set(
        checked
    )
    assert browser.get(SETUP).status_code == 200
    language = browser.post("/language", data={"language": "es", "csrf_token": token})
    assert language.status_code == 302 and language.headers["Location"] != SETUP
    assert browser.post("/auth/logout", data={"csrf_token": token}).status_code == 302
    assert browser.get(SETUP).headers["Location"].startswith("/auth/login")


def test_members_and_enrolled_coordinators_are_not_held(app, world, login_as):
    assert login_as(world.member_cl).get("/").status_code == 200
    assert login_as(world.coordinator_cl).get("/").status_code == 200

"""Deny by default (SECURITY.md 12): each route is public by an explicit marker or needs login."""

from urllib.parse import quote

from portal.web.features import public_endpoints as declared_public_endpoints
from portal.web.public import is_public_endpoint, public
from tests.conftest import csrf_token
from tests.helpers.routes import example_url

# Static files are public by the web layer itself (portal.web.public).
STATIC = {"static", "bootstrap.static"}


def _expected_public(app) -> set[str]:
    """The reviewed list: each feature declares its public endpoints, with the reason, next to
    its other declarations; a route that becomes public fails here until it is declared."""
    return set(declared_public_endpoints(app)) | STATIC


def _public_endpoints(app) -> set[str]:
    with app.app_context():
        return {r.endpoint for r in app.url_map.iter_rules() if is_public_endpoint(r.endpoint)}


def _login_redirect(url: str) -> str:
    return "/auth/login?next=" + quote(url, safe="")


def _anonymous_answer(client, method: str, url: str, token: str):
    if method == "GET":
        return client.get(url)
    return client.post(url, data={"csrf_token": token})


def test_public_endpoints_are_the_reviewed_list(app):
    assert _public_endpoints(app) == _expected_public(app)
    # The declarations are not empty: the list is the one reviewed before they existed.
    assert {"accounts.login", "meetings.feed", "documents.download"} <= _expected_public(app)


def test_a_public_route_no_feature_declares_is_found(app):
    @public
    def undeclared():
        return "undeclared"

    app.add_url_rule("/undeclared", "undeclared", undeclared)
    assert _public_endpoints(app) - _expected_public(app) == {"undeclared"}


def test_every_other_route_sends_anonymous_visitors_to_the_login_page(app, client):
    public_endpoints = _public_endpoints(app)
    token = csrf_token(client)  # a real token, so that CSRF is not what refuses the POSTs
    checked, wrong = [], []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in public_endpoints:
            continue
        url = example_url(rule)
        for method in sorted({"GET", "POST"} & rule.methods):
            response = _anonymous_answer(client, method, url, token)
            checked.append(f"{method} {url}")
            if (response.status_code, response.headers.get("Location")) != (
                302,
                _login_redirect(url),
            ):
                wrong.append((method, url, response.status_code, response.headers.get("Location")))
    assert wrong == []
    # The walk really reached the protected routes, GETs and POST-only actions alike.
    assert "GET /mous/1" in checked
    assert "POST /working-groups/1/members/1/remove" in checked
    assert "POST /auth/logout" in checked


def test_a_new_route_needs_a_login_unless_marked_public(app, client):
    def unmarked():
        return "unmarked"

    @public
    def marked():
        return "marked"

    app.add_url_rule("/unmarked", "unmarked", unmarked)
    app.add_url_rule("/marked", "marked", marked)

    refused = client.get("/unmarked")
    assert refused.status_code == 302
    assert refused.headers["Location"] == _login_redirect("/unmarked")
    allowed = client.get("/marked")
    assert allowed.status_code == 200
    assert allowed.get_data(as_text=True) == "marked"

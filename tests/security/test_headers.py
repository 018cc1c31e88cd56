"""Security headers, error pages, CSRF on logout and the health check (SECURITY.md 16, 29)."""

import io
import re
from datetime import UTC, date, datetime

import pytest

from portal.core.extensions import db
from portal.core.tlp import TLP
from portal.documents import services as documents
from portal.web.http import security_headers
from portal.web.public import is_public_endpoint
from tests.conftest import login
from tests.factories import make_action, make_meeting, make_training

# The HTTP headers of every page does not depend on the backend:
# run once, on PostgreSQL when it answers (ONE_BACKEND, tests/conftest.py), so that
# the suite's time goes where the backends differ.
pytestmark = pytest.mark.one_backend

REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def _csp(response) -> dict[str, list[str]]:
    """The Content-Security-Policy as {directive: [sources]}."""
    policy = {}
    for part in response.headers.get("Content-Security-Policy", "").split(";"):
        if part.strip():
            name, *sources = part.split()
            policy[name.lower()] = sources
    return policy


def _header_problems(response) -> list[str]:
    """What is missing from a response's security headers (empty when all is well)."""
    problems = []
    headers = response.headers
    csp = _csp(response)
    script_sources = csp.get("script-src", csp.get("default-src"))
    if script_sources is None:
        problems.append("no script-src or default-src in the CSP")
    elif "'unsafe-inline'" in script_sources or "'unsafe-eval'" in script_sources:
        problems.append(f"script-src allows inline script: {script_sources}")
    if headers.get("X-Frame-Options") != "DENY":
        problems.append(f"X-Frame-Options is {headers.get('X-Frame-Options')!r}")
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"X-Content-Type-Options is {headers.get('X-Content-Type-Options')!r}")
    if not headers.get("Referrer-Policy"):
        problems.append("no Referrer-Policy")
    if not headers.get("Permissions-Policy"):
        problems.append("no Permissions-Policy")
    if not REQUEST_ID.match(headers.get("X-Request-ID", "")):
        problems.append(f"X-Request-ID is {headers.get('X-Request-ID')!r}")
    return problems


def _page_problems(response) -> list[str]:
    """Inline script would be blocked by the CSP: a page must not rely on any."""
    page = response.get_data(as_text=True)
    return [f"inline script: {m}" for m in INLINE_SCRIPT.findall(page)] + [
        f"event attribute: {m}" for m in EVENT_ATTRIBUTE.findall(page)
    ]


def _example_values(world) -> dict:
    """An existing object for every kind of id in the app's URLs."""
    return {
        "mou_id": world.mou.id,
        "group_id": world.group.id,
        "party_id": world.cl.id,
        "user_id": world.member_cl.id,
        "token": "no-such-token",  # an invitation or reset link that does not exist: a 404 page
        "meeting_id": world.meeting.id,
        "item_id": world.action.id,
        "document_id": world.document_id,
        "number": 1,
        "training_id": world.training.id,
        "certificate_id": 1,  # none issued: a 404 page
        "code": "no-such-code",  # the verification page's answer for a wrong code
        # The confirmation pages of destructive actions (removing a member, an invitee...).
        "membership_id": world.group.memberships[0].id,
        "invitee_id": world.meeting.invitees[0].id,
        "registration_id": 1,  # none made: a 404 page
        "bulletin_id": 1,  # none published: a 404 page
        "attachment_id": 1,
        "poll_id": 1,  # none proposed: a 404 page
        "signatory_id": 1,  # the confirmation pages of removing a signatory and a line
        "line_id": 1,
        "contact_id": 1,  # none recorded: a 404 page
        "token_id": 1,  # no API token made: a 404 page
        "commitment_id": 1,  # none recorded: a 404 page
        "kind": "meeting",
        "target_id": 1,
    }


@pytest.fixture
def world(world, session, app):
    """The shared world plus one meeting and one TLP:CLEAR document, so that their pages render."""
    world.meeting = make_meeting(
        session, world.group, datetime(2030, 1, 8, 10, tzinfo=UTC), invitees=[world.admin]
    )
    world.action = make_action(session, world.group, [world.member_gb], date(2030, 1, 15))
    world.training = make_training(session, world.mou, datetime(2030, 1, 20, 13, tzinfo=UTC))
    session.commit()
    with app.test_request_context():
        document = documents.store_new_document(
            db.session,
            db.session.merge(world.member_cl),
            db.session.merge(world.mou),
            None,
            documents.DocumentData("Protocol", "", "en", "protocol", [], TLP.CLEAR),
            documents.Upload(io.BytesIO(b"Protocol text"), "protocol.txt", "First version"),
        )
        db.session.commit()
        world.document_id = document.id
    return world


def _html_pages(app, world) -> list[tuple[str, bool]]:
    """(url, public) of every GET route of the app except static files."""
    values = _example_values(world)
    pages = []
    with app.app_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint.endswith("static"):
                continue
            if rule.endpoint == "main.healthz":
                continue  # JSON, checked on its own below
            _, url = rule.build({name: values[name] for name in rule.arguments})
            pages.append((url, is_public_endpoint(rule.endpoint)))
    return pages


def test_every_html_page_has_the_security_headers(app, world, login_as, client):
    admin = login_as(world.admin)  # the administrator may open every page
    problems, seen = {}, []
    for url, is_public in _html_pages(app, world):
        browser = client if is_public else admin
        response = browser.get(url)
        seen.append((url, response.status_code))
        attachment = response.headers.get("Content-Disposition", "").startswith("attachment")
        if (
            response.mimetype
            in ("text/calendar", "text/csv", "application/json", "application/problem+json")
            or attachment
        ):  # the headers, not page checks (the API answers JSON)
            found = _header_problems(response)
        else:
            assert response.mimetype == "text/html", url
            found = _header_problems(response) + _page_problems(response)
        response.close()
        if found:
            problems[url] = found
    assert problems == {}
    assert ("/mous/new", 200) in seen
    assert ("/auth/login", 200) in seen


def test_error_pages_have_the_security_headers_too(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert _header_problems(response) == []


def test_a_404_page_shows_the_request_id(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert response.headers["X-Request-ID"] in response.get_data(as_text=True)


def test_a_500_page_shows_the_request_id_and_no_traceback(app, world, login_as):
    def boom():
        raise RuntimeError("secret internal detail")

    app.add_url_rule("/boom", "boom", boom)  # not marked public: behind login like any route
    response = login_as(world.member_cl).get("/boom")

    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert response.headers["X-Request-ID"] in page
    for leak in ("Traceback", "RuntimeError", "secret internal detail", 'File "', ".py"):
        assert leak not in page
    assert _header_problems(response) == []


@pytest.mark.parametrize(
    ("incoming", "echoed"),
    [("lb-0123456789abcdef", True), ("<script>alert(1)</script>", False), ("short", False)],
)
def test_request_id_from_the_load_balancer_only_when_well_formed(client, incoming, echoed):
    response = client.get("/auth/login", headers={"X-Request-ID": incoming})
    answered = response.headers["X-Request-ID"]
    assert (answered == incoming) is echoed
    assert REQUEST_ID.match(answered)


def test_logout_without_csrf_token_is_refused(client, world):
    login(client, world.member_gb)
    response = client.post("/auth/logout")
    assert response.status_code == 400
    assert client.get("/").status_code == 200  # still logged in


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.is_json
    assert response.get_json()["status"] == "ok"


def test_a_views_own_header_is_kept_and_each_header_is_sent_once(app, world, login_as):
    def own_headers():
        return "ok", {"Cache-Control": "private, no-cache", "X-Frame-Options": "SAMEORIGIN"}

    app.add_url_rule("/own-headers", "own_headers", own_headers)
    response = login_as(world.member_cl).get("/own-headers")

    assert response.headers.getlist("Cache-Control") == ["private, no-cache"]
    assert response.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert len(response.headers.getlist("Content-Security-Policy")) == 1
    assert "Strict-Transport-Security" not in response.headers  # off outside production


def test_hsts_is_sent_where_the_configuration_enables_it():
    names = {name for name, _value in security_headers({"HSTS_ENABLED": True})}
    assert "Strict-Transport-Security" in names
    assert "Strict-Transport-Security" not in {name for name, _ in security_headers({})}

"""What the API answers besides the permission matrix: bad input as problem details that
write nothing, every error status in the one format, cursor paging, the rate limit, and the
description with its page."""

import jsonschema
import pytest
from sqlalchemy import select

from portal.api.models import ApiToken
from portal.core.tokens import hash_token, signed_token
from tests.api.conftest import bearer
from tests.helpers.bad_input import changed_tables, snapshot


@pytest.fixture
def app_overrides():
    return {"API_RATE_LIMIT": "40 per minute"}


def _valid(ids) -> dict:
    return {
        "working_group_id": ids["group"],
        "title_es": "Traducir la taxonomía de incidentes",
        "owner_ids": [ids["member_cl"]],
        "responsible_party": "CL",
        "due_on": "2030-05-01",
    }


BAD_ITEMS = (
    ("no body", None, "working_group_id"),
    ("no title in either language", {"title_es": "", "title_en": "  "}, "title_en"),
    ("title of 10,000 characters", {"title_en": "x" * 10_000}, "title_en"),
    ("due date not a date", {"due_on": "tomorrow"}, "due_on"),
    ("due date in 1900", {"due_on": "1900-01-01"}, "due_on"),
    ("no owner", {"owner_ids": []}, "owner_ids"),
    ("an owner of another delegation", {"owner_ids": ["{member_co}"]}, "owner_ids"),
    ("an owner who does not exist", {"owner_ids": [999_999]}, "owner_ids"),
    ("a party outside the MoU", {"responsible_party": "CO"}, "responsible_party"),
    ("priority unknown", {"priority": "urgent"}, "priority"),
    ("a field nobody asked for", {"created_by_id": 1}, "created_by_id"),
    ("mass assignment of the status", {"status": "done"}, "status"),
)


def _fill(value, ids):
    if isinstance(value, list):
        return [ids[v[1:-1]] if isinstance(v, str) else v for v in value]
    return value


def test_bad_input_is_a_problem_and_writes_nothing(app, session, api_world):
    client = app.test_client()
    ids, token = api_world.ids, bearer(api_world.tokens["coordinator_cl"])
    problems = []
    for label, changes, field in BAD_ITEMS:
        body = (
            None
            if changes is None
            else {**_valid(ids), **{k: _fill(v, ids) for k, v in changes.items()}}
        )
        before = snapshot(session)
        answer = client.post("/api/v1/action-items", json=body, headers=token)
        problem = answer.get_json()
        fields = [error.get("field") for error in problem.get("errors", [])]
        if (answer.status_code, answer.content_type) != (422, "application/problem+json"):
            problems.append(f"{label}: {answer.status_code} {answer.content_type}")
        elif field not in fields:
            problems.append(f"{label}: {field} not among {fields}")
        if written := changed_tables(before, snapshot(session)):
            problems.append(f"{label}: wrote to {written}")
    assert not problems, "\n".join(problems)

    item = f"/api/v1/action-items/{ids['item']}/status"
    before = snapshot(session)
    for body in ({"status": "finished"}, {"status": "cancelled"}, {}):
        refused = client.post(item, json=body, headers=token)
        assert refused.status_code == 422, body
    assert changed_tables(before, snapshot(session)) == []
    not_json = client.post(
        "/api/v1/action-items",
        data="{not json",
        headers={**token, "Content-Type": "application/json"},
    )
    assert not_json.status_code in (400, 422)
    assert not_json.content_type == "application/problem+json"
    assert client.post("/api/v1/action-items", json=_valid(ids), headers=token).status_code == 201


def test_every_error_answers_as_problem_details(app, session, api_world):
    client = app.test_client()
    token = bearer(api_world.tokens["member_co"])
    answers = {
        400: client.get("/api/v1/meetings?cursor=forged", headers=token),
        401: client.get("/api/v1/meetings"),
        403: client.post(
            f"/api/v1/action-items/{api_world.ids['item']}/status",
            json={"status": "done"},
            headers=bearer(api_world.tokens["observer_gb"]),
        ),
        404: client.get(f"/api/v1/meetings/{api_world.ids['meeting']}", headers=token),
        405: client.delete("/api/v1/meetings", headers=token),
        422: client.get("/api/v1/meetings?limit=1000", headers=token),
    }
    answers[404.1] = client.get("/api/v1/no-such-thing", headers=token)
    for status, answer in answers.items():
        problem = answer.get_json()
        assert answer.content_type == "application/problem+json", status
        assert (answer.status_code, problem["status"]) == (int(status), int(status))
        assert {"type", "title", "detail", "instance"} <= problem.keys()
    assert "Traceback" not in str(answers)
    # The British observer reads the item but changes nothing: 403, said in words.
    assert answers[403].get_json()["detail"]


def test_lists_page_by_cursor_without_repeats_or_gaps(app, session, api_world):
    client = app.test_client()
    token = bearer(api_world.tokens["admin"])
    seen, url = [], "/api/v1/documents?limit=1"
    while url:
        page = client.get(url, headers=token).get_json()
        assert len(page["items"]) <= 1
        seen += [item["id"] for item in page["items"]]
        url = page["next_cursor"] and f"/api/v1/documents?limit=1&cursor={page['next_cursor']}"
    admin_sees = {api_world.ids["green"], api_world.ids["strict"]}  # RED: only those named
    assert sorted(seen) == seen and set(seen) == admin_sees
    # A cursor of one list is refused by another, so it cannot be replayed elsewhere.
    with app.test_request_context():
        meetings_cursor = signed_token("api-cursor:meetings", {"after": 0})
    other = client.get(f"/api/v1/documents?cursor={meetings_cursor}", headers=token)
    assert other.status_code == 400


def test_the_rate_limit_answers_429_with_retry_after(app, session, api_world):
    client = app.test_client()
    token = bearer(api_world.tokens["observer_gb"])
    answers = [client.get("/api/v1/mous", headers=token).status_code for _ in range(41)]
    assert answers[:40] == [200] * 40
    limited = client.get("/api/v1/mous", headers=token)
    assert limited.status_code == 429
    assert limited.content_type == "application/problem+json"
    assert int(limited.headers["Retry-After"]) > 0
    # Another person's token is counted apart.
    assert client.get("/api/v1/mous", headers=bearer(api_world.tokens["admin"])).status_code == 200
    stored = session.scalar(
        select(ApiToken).where(ApiToken.token_hash == hash_token(api_world.tokens["observer_gb"]))
    )
    assert stored.revoked_at is None


def test_the_description_and_its_page_are_served_without_a_token(app):
    client = app.test_client()
    description = client.get("/api/v1/openapi.json").get_json()
    assert description["openapi"] == "3.1.0"
    assert "/api/v1/meetings/{meeting_id}" in description["paths"]
    meeting = description["components"]["schemas"]["MeetingOut"]["properties"]
    assert {"uid", "local_times", "timezone"} <= meeting.keys()
    problem = description["components"]["responses"]["DEFAULT_ERROR"]["content"]
    assert "application/problem+json" in problem
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "/api/v1/action-items/{item_id}/status" in page
    assert "cdn" not in page.lower()


def test_the_description_says_a_cancellation_needs_a_reason(app, api_world):
    """What the service refuses, the description refuses too: a client (or Schemathesis)
    reading it never sends a request it thinks valid and gets a 422."""
    client = app.test_client()
    description = client.get("/api/v1/openapi.json").get_json()
    rules = jsonschema.Draft202012Validator(description["components"]["schemas"]["StatusIn"])
    item = f"/api/v1/action-items/{api_world.ids['item']}/status"
    token = bearer(api_world.tokens["admin"])
    for body in ({"status": "cancelled"}, {"status": "cancelled", "reason": " \t"}):
        assert not rules.is_valid(body), body
        assert client.post(item, json=body, headers=token).status_code == 422
    assert rules.is_valid({"status": "cancelled", "reason": "Duplicate"})
    assert rules.is_valid({"status": "done"})


def test_a_meeting_shows_its_uid_and_both_parties_clocks(app, api_world):
    client = app.test_client()
    token = bearer(api_world.tokens["coordinator_gb"])
    meeting = client.get(f"/api/v1/meetings/{api_world.ids['meeting']}", headers=token)
    shown = meeting.get_json()
    assert shown["uid"].endswith("@portal.test") and shown["feed_uid"] == shown["uid"]
    assert shown["recurrence_id"] is None
    assert shown["starts_at"] == "2030-03-10T13:00:00+00:00"
    clocks = {t["party"]: (t["timezone"], t["starts_at"]) for t in shown["local_times"]}
    assert clocks == {
        "CL": ("America/Santiago", "2030-03-10T10:00:00-03:00"),
        "GB": ("Europe/London", "2030-03-10T13:00:00+00:00"),
    }


def test_a_conflict_and_a_failure_under_the_api_answer_as_problems_too(app):
    """What the feature services raise (a conflict) and what nobody expected (a crash) leave
    the same handlers as on the pages, and answer in the API's format, without a traceback."""
    from portal.core.errors import Conflict
    from portal.web.public import public

    def clash():
        raise Conflict("Someone changed it first.")

    def crash():
        raise RuntimeError("secret internal detail")

    app.add_url_rule("/api/v1/test-clash", "test_clash", public(clash))
    app.add_url_rule("/api/v1/test-crash", "test_crash", public(crash))
    client = app.test_client()
    conflict = client.get("/api/v1/test-clash")
    assert (conflict.status_code, conflict.content_type) == (409, "application/problem+json")
    assert conflict.get_json()["detail"] == "Someone changed it first."
    failure = client.get("/api/v1/test-crash")
    assert (failure.status_code, failure.content_type) == (500, "application/problem+json")
    body = failure.get_data(as_text=True)
    assert failure.get_json()["request_id"] == failure.headers["X-Request-ID"]
    for leak in ("Traceback", "RuntimeError", "secret internal detail"):
        assert leak not in body

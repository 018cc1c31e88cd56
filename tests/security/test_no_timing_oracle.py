"""A denied object answers like a missing one in the work done before answering, and a
password reset for a known address like one for an unknown address (SECURITY 4 and 14).

The statements the app sends before the response leaves are counted (SQLAlchemy's
before_cursor_execute); what tells the cases apart is written once it has been sent.
"""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.core.db import utcnow
from portal.notifications.models import OutboxMessage
from tests import factories
from tests.conftest import csrf_token
from tests.helpers.pages import assert_looks_missing
from tests.helpers.statements import count_statements

MISSING_ID = 987654


def _document(app, world) -> int:
    return factories.make_document(app, world.coordinator_cl, world.mou, world.group)


def _objects(app, world, session) -> dict[str, int]:
    soon = utcnow() + timedelta(days=3)
    meeting = factories.make_meeting(session, world.group, soon, invitees=[world.member_cl])
    action = factories.make_action(session, world.group, [world.member_cl], date.today())
    training = factories.make_training(session, world.mou, soon)
    session.commit()
    return {
        "document": _document(app, world),
        "meeting": meeting.id,
        "action": action.id,
        "training": training.id,
        "working_group": world.group.id,
    }


PAGES = {
    "document": "/documents/{}",
    "meeting": "/meetings/{}",
    "action": "/actions/{}",
    "training": "/trainings/{}",
    "working_group": "/working-groups/{}",
}


def _before_response(app, browser, method, path, **kwargs):
    """The response, still open, and the statements the app sent before it left."""
    browser.finish_responses = False
    headers = {"X-Request-ID": "same-request-id"}  # the page quotes it
    with count_statements(app) as statements:
        response = browser.open(path, method=method, headers=headers, **kwargs)
    browser.finish_responses = True
    return response, statements


def _denials(session, object_type: str) -> list[str]:
    session.rollback()
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "access.denied", AuditEvent.object_type == object_type)
        .order_by(AuditEvent.id)
    )
    return [event.object_id for event in events]


@pytest.mark.parametrize("kind", PAGES)
def test_a_denied_object_costs_the_same_statements_as_a_missing_one(
    kind, app, world, session, login_as
):
    ids = _objects(app, world, session)
    browser = login_as(world.member_co)  # Colombia: not a party of the Chile–UK MoU
    browser.get("/")  # the session's first-request work, out of the way
    denied_path, missing_path = PAGES[kind].format(ids[kind]), PAGES[kind].format(MISSING_ID)
    denied, denied_sql = _before_response(app, browser, "GET", denied_path)
    missing, missing_sql = _before_response(app, browser, "GET", missing_path)

    assert denied.status_code == missing.status_code == 404
    assert_looks_missing(denied, denied_path, missing, missing_path)
    assert denied_sql == missing_sql
    assert not any(sql.lstrip().upper().startswith("INSERT") for sql in denied_sql)
    assert _denials(session, kind) == []  # nothing written before the answer left

    denied.close()  # the server has sent it: the denial is written now
    missing.close()
    assert _denials(session, kind) == [str(ids[kind])]  # the missing one is not a denial


def test_the_denial_keeps_who_where_and_which_request(app, world, session, login_as):
    ids = _objects(app, world, session)
    browser = login_as(world.member_co)
    response = browser.get(
        f"/documents/{ids['document']}", headers={"X-Request-ID": "req-12345678"}
    )
    assert response.status_code == 404
    session.rollback()
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "access.denied")).one()
    assert (event.actor_id, event.object_type, event.object_id) == (
        world.member_co.id,
        "document",
        str(ids["document"]),
    )
    assert (event.ip_address, event.request_id) == ("127.0.0.1", "req-12345678")


def test_a_failing_deferred_write_leaves_the_answer_and_the_other_writes_alone(
    app, world, session, login_as, caplog, monkeypatch
):
    from portal.web import error_handlers

    ids = _objects(app, world, session)
    browser = login_as(world.member_co)

    def broken(error, actor_id):
        def fail(session):
            raise RuntimeError("audit store unavailable")

        return fail

    monkeypatch.setattr(error_handlers, "_denial_recorder", broken)
    response = browser.get(f"/documents/{ids['document']}")
    assert response.status_code == 404
    assert "work after the response failed" in caplog.text


# Password reset ----------------------------------------------------------------------------


def _forgot(app, client, email):
    token = csrf_token(client, "/auth/forgot")
    return _before_response(
        app, client, "POST", "/auth/forgot", data={"email": email, "csrf_token": token}
    )


def test_a_reset_for_a_known_address_costs_the_same_statements_as_for_an_unknown_one(
    app, world, session
):
    known, known_sql = _forgot(app, app.test_client(), world.member_gb.email)
    unknown, unknown_sql = _forgot(app, app.test_client(), "nobody@example.org")

    assert known.status_code == unknown.status_code == 302
    assert known.location == unknown.location
    assert known_sql == unknown_sql
    session.rollback()
    assert session.scalars(select(OutboxMessage)).all() == []  # nothing before the answer

    known.close()
    unknown.close()
    [mail] = session.scalars(select(OutboxMessage)).all()
    assert (mail.kind, mail.recipient) == ("password_reset", world.member_gb.email)
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["password_reset.requested", "password_reset.unknown"]


def test_a_response_closed_twice_records_the_denial_once(app, world, session, login_as):
    ids = _objects(app, world, session)
    browser = login_as(world.member_co)
    response, _ = _before_response(app, browser, "GET", f"/trainings/{ids['training']}")
    response.close()
    response.close()
    assert _denials(session, "training") == [str(ids["training"])]

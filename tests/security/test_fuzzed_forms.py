"""Arbitrary text in the login, invitation and profile forms: never a 500, never a stray write.

Hypothesis reuses the test's fixtures (app, database, logged-in client) across its
examples, so every example compares the database before and after its own request.
"""

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import func, select

from portal.accounts.models import Invitation, Role, User
from portal.audit.models import AuditEvent
from portal.notifications.models import OutboxMessage
from tests.factories import PASSWORD
from tests.helpers.bad_input import changed_tables, shown_errors, snapshot
from tests.helpers.fuzz import FUZZ, TEXT, app_overrides, post_form  # noqa: F401  (a fixture)

# How a form answers arbitrary text does not depend on the backend:
# run once, on PostgreSQL when it answers (ONE_BACKEND, tests/conftest.py), so that
# the suite's time goes where the backends differ.
pytestmark = pytest.mark.one_backend


def _last_audit_id(session) -> int:
    last = session.scalar(select(func.max(AuditEvent.id))) or 0
    session.rollback()
    return last


def _new_audit_actions(session, after_id: int) -> list[str]:
    later = select(AuditEvent.action).where(AuditEvent.id > after_id).order_by(AuditEvent.id)
    return list(session.scalars(later))


# Login -----------------------------------------------------------------------------------


@FUZZ
@given(email=TEXT, password=TEXT)
@example(email="a\x00b@example.org", password="whatever it is")
@example(email="member.gb@example.org\x00", password="correct horse battery staple")
@example(email="\u202eelpmaxe.ecilA", password="\x00" * 20)
def test_login_form_survives_any_text(app, world, session, email, password):
    client = app.test_client()
    before, last_audit = snapshot(session), _last_audit_id(session)
    response = post_form(client, "/auth/login", {"email": email, "password": password})
    assert response.status_code == 422, (email, password, response.status_code)
    assert shown_errors(response)
    # A refused login writes at most its audit trail; never an account or a session.
    after = snapshot(session)
    assert set(changed_tables(before, after)) <= {"audit_events"}
    assert set(_new_audit_actions(session, last_audit)) <= {"login.failed"}
    assert client.get("/").status_code == 302


@FUZZ
@given(target=TEXT)
@example(target="//evil.example/\x00")
def test_login_page_survives_any_next_parameter(app, target):
    response = app.test_client().get("/auth/login", query_string={"next": target})
    assert response.status_code == 200


# Invitation (as administrator) ------------------------------------------------------------

PARTY = st.one_of(st.sampled_from(["cl", "gb", "co"]).map(lambda c: ("party", c)), TEXT)
ROLE = st.one_of(st.sampled_from([r.value for r in Role]), TEXT)
LANGUAGE = st.one_of(st.sampled_from(["en", "es"]), TEXT)


@pytest.fixture
def admin(world, login_as):
    return login_as(world.admin)


@FUZZ
@given(email=st.one_of(TEXT, st.emails()), party=PARTY, role=ROLE, language=LANGUAGE)
@example(email="new\x00@example.org", party=("party", "gb"), role="member", language="en")
@example(email="nuevo@example.org", party=("party", "gb"), role="member\x00", language="es")
@example(email="nuevo@example.org", party="\u0661", role="member", language="es")  # Arabic 1
@example(email="nuevo@example.org", party=("party", "co"), role="observer", language="es")
def test_invitation_form_survives_any_text(world, session, admin, email, party, role, language):
    party_id = str(getattr(world, party[1]).id) if isinstance(party, tuple) else party
    data = {"email": email, "party_id": party_id, "role": role, "language": language}
    before = snapshot(session)
    response = post_form(admin, "/invitations/new", data)
    after = snapshot(session)
    assert response.status_code in (302, 422), (data, response.status_code)
    if response.status_code == 422:
        assert shown_errors(response)
        assert changed_tables(before, after) == []
        return
    address = email.strip().lower()
    invitation = session.scalars(select(Invitation).order_by(Invitation.id.desc())).first()
    # int() reads any Unicode digits and surrounding spaces, as "\u0661" (Arabic one).
    assert (invitation.email, invitation.party_id, invitation.role.value) == (
        address,
        int(party_id),
        role,
    )
    message = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert message.recipient == address
    assert set(changed_tables(before, after)) == {
        "invitations",
        "outbox_messages",
        "audit_events",
        "form_submissions",  # the claimed one-time token of the form
    }


# Profile -------------------------------------------------------------------------------------

ZONE = st.one_of(st.sampled_from(["UTC", "America/Santiago", "Europe/London"]), TEXT)


@pytest.fixture
def member(world, login_as):
    return login_as(world.member_gb)


@FUZZ
@given(name=TEXT, language=LANGUAGE, timezone=ZONE)
@example(name="Emily\x00Clarke", language="en", timezone="UTC")
@example(name="Emily Clarke", language="en\x00", timezone="UTC")
@example(name="Emily Clarke", language="en", timezone="Europe/London\x00")
@example(name="\u202eekralC ylimE", language="es", timezone="UTC")
@example(name="Émily 👩🏽‍💻 Clarke", language="es", timezone="America/Santiago")
def test_profile_form_survives_any_text(world, session, member, name, language, timezone):
    data = {"name": name, "language": language, "timezone": timezone}
    before = snapshot(session)
    response = post_form(member, "/account/", data)
    after = snapshot(session)
    assert response.status_code in (302, 422), (data, response.status_code)
    if response.status_code == 422:
        assert shown_errors(response)
        assert changed_tables(before, after) == []
        return
    user = session.get(User, world.member_gb.id)
    session.refresh(user)
    assert (user.name, user.language, user.timezone) == (name.strip(), language, timezone)
    assert member.get("/account/").status_code == 200


# Changing one's email address (the password asked again) --------------------------------------


@FUZZ
@given(email=st.one_of(TEXT, st.emails()), password=st.one_of(TEXT, st.just(PASSWORD)))
@example(email="new@example.org", password=PASSWORD + "\x00")
@example(email="new@example.org\r\nBcc: spy@evil.example", password=PASSWORD)
@example(email="nuevo@example.org", password=PASSWORD)
def test_change_email_form_survives_any_text(world, session, member, email, password):
    before = snapshot(session)
    response = post_form(member, "/account/email", {"email": email, "current_password": password})
    after = snapshot(session)
    assert response.status_code in (302, 422), (email, password, response.status_code)
    if response.status_code == 422:
        assert shown_errors(response)
        assert changed_tables(before, after) == []
        return
    assert password == PASSWORD
    message = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert message.recipient == email.strip().lower()
    assert set(changed_tables(before, after)) == {"outbox_messages", "audit_events"}
    assert session.get(User, world.member_gb.id).email == world.member_gb.email

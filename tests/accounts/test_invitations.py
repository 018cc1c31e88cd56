"""Invitations end to end: the form, the outbox, the mail, the link, the new account."""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.accounts.invitations import InvitationRequest, invite
from portal.accounts.models import Invitation, Role, User
from portal.core.db import utcnow
from portal.core.errors import Forbidden
from portal.notifications.models import OutboxMessage, OutboxStatus
from tests.conftest import csrf_token, login, post
from tests.helpers.mail import link_in, send_outbox, text_of
from tests.helpers.rows import assert_not_stored, count

NEW_ADDRESS = "new.person@example.org"
NEW_PASSWORD = "a brand new passphrase for me"
USED_LINK = "This invitation link has already been used, has expired or is not valid."


# Helpers of this file -----------------------------------------------------------------


def _invite(client, email=NEW_ADDRESS, *, party, role=Role.MEMBER, language="en"):
    data = {"email": email, "party_id": str(party.id), "role": role.value, "language": language}
    return post(client, "/invitations/new", data, token_from="/invitations/new")


def _accept(client, path, **fields):
    data = {
        "name": "Ana Pérez",
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
        "language": "en",
        "timezone": "Europe/London",
        "csrf_token": csrf_token(client, path),
        **fields,
    }
    return client.post(path, data=data)


def _invitation_link(app, client, *, party, **kwargs) -> str:
    response = _invite(client, party=party, **kwargs)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    (message,) = send_outbox(app)
    return link_in(app, message, "/auth/invitation/")


def _nothing_written(session) -> bool:
    return (
        count(session, Invitation) == 0
        and count(session, OutboxMessage) == 0
        and count(session, User, User.email == NEW_ADDRESS) == 0
    )


# End to end ----------------------------------------------------------------------------


def test_admin_invitation_end_to_end(app, world, session, login_as):
    admin = login_as(world.admin)
    response = _invite(admin, party=world.gb, role=Role.OBSERVER, language="en")
    assert response.status_code == 302
    assert response.headers["Location"] == "/invitations/"
    assert NEW_ADDRESS in admin.get("/invitations/").get_data(as_text=True)

    # The invitation and its message were committed together; nothing is sent yet.
    invitation = session.scalars(select(Invitation)).one()
    assert (invitation.email, invitation.party_id, invitation.role) == (
        NEW_ADDRESS,
        world.gb.id,
        Role.OBSERVER,
    )
    message_row = session.scalars(select(OutboxMessage)).one()
    assert message_row.recipient == NEW_ADDRESS
    assert message_row.status == OutboxStatus.PENDING
    assert not (Path(app.instance_path) / "mail").exists()

    (mail,) = send_outbox(app)
    assert mail["To"] == NEW_ADDRESS
    assert mail["Subject"] == "You are invited to the cooperation portal"
    assert "has invited you to join the delegation of Country GB" in text_of(mail)
    link = link_in(app, mail, "/auth/invitation/")
    assert count(session, OutboxMessage, OutboxMessage.status == OutboxStatus.SENT) == 1

    # The database keeps only a hash of the link's token.
    assert_not_stored(session, Invitation, link.rsplit("/", 1)[1])

    visitor = app.test_client()
    form_page = visitor.get(link)
    assert form_page.status_code == 200
    page = form_page.get_data(as_text=True)
    assert "Create your account" in page
    assert NEW_ADDRESS in page

    accepted = _accept(visitor, link)
    assert accepted.status_code == 302
    assert accepted.headers["Location"] == "/"
    dashboard = visitor.get("/")
    assert dashboard.status_code == 200  # logged in straight away
    assert "Welcome! Your account is ready." in dashboard.get_data(as_text=True)

    user = session.scalars(select(User).where(User.email == NEW_ADDRESS)).one()
    assert (user.name, user.party_id, user.role) == ("Ana Pérez", world.gb.id, Role.OBSERVER)
    assert (user.language, user.timezone) == ("en", "Europe/London")
    login(app.test_client(), user, NEW_PASSWORD)  # the chosen password works

    # The same link cannot be used again, by anybody.
    for browser in (visitor, app.test_client()):
        again = browser.get(link)
        assert again.status_code == 404
        assert USED_LINK in again.get_data(as_text=True)
    assert count(session, User, User.email == NEW_ADDRESS) == 1


def test_coordinator_invites_into_own_party(app, world, session, login_as):
    coordinator = login_as(world.coordinator_gb)
    link = _invitation_link(app, coordinator, party=world.gb, role=Role.EXTERNAL)
    assert _accept(app.test_client(), link).status_code == 302
    user = session.scalars(select(User).where(User.email == NEW_ADDRESS)).one()
    # An external participant joins no delegation (the party chosen is not kept); who
    # invited them is, and the coordinator's list of invitations shows it.
    assert (user.party_id, user.role) == (None, Role.EXTERNAL)
    invitation = session.scalars(select(Invitation)).one()
    assert invitation.invited_by_id == world.coordinator_gb.id and invitation.party_id is None
    assert NEW_ADDRESS in coordinator.get("/invitations/").get_data(as_text=True)
    assert invitation.accepted_at is not None


def test_invitation_mail_is_in_the_invitation_language(app, world, login_as):
    admin = login_as(world.admin)
    assert _invite(admin, party=world.cl, language="es").status_code == 302
    (mail,) = send_outbox(app)
    assert mail["Subject"] == "Invitación al portal de cooperación"
    text = text_of(mail)
    assert "Cree su cuenta con este enlace (funciona una sola vez):" in text
    assert "le ha invitado a unirse a la delegación de País CL" in text
    assert "Create your account" not in text


def test_expired_invitation_answers_404(app, world, session, login_as):
    link = _invitation_link(app, login_as(world.admin), party=world.gb)
    invitation = session.scalars(select(Invitation)).one()
    lifetime = invitation.expires_at - invitation.created_at
    assert timedelta(days=7) - timedelta(minutes=1) < lifetime <= timedelta(days=7)
    invitation.expires_at = utcnow() - timedelta(seconds=1)
    session.commit()

    visitor = app.test_client()
    response = visitor.get(link)
    assert response.status_code == 404
    assert USED_LINK in response.get_data(as_text=True)
    # Posting a form to it creates nothing either.
    token = csrf_token(visitor, "/auth/login")
    refused = visitor.post(
        link,
        data={
            "csrf_token": token,
            "name": "Late Person",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "language": "en",
            "timezone": "UTC",
        },
    )
    assert refused.status_code == 404
    assert count(session, User, User.email == NEW_ADDRESS) == 0


def test_account_is_bound_to_the_invited_address(app, world, session, login_as):
    link = _invitation_link(app, login_as(world.admin), party=world.gb)
    response = _accept(app.test_client(), link, email="attacker@evil.example")
    assert response.status_code == 302
    assert count(session, User, User.email == NEW_ADDRESS) == 1
    assert count(session, User, User.email == "attacker@evil.example") == 0


def test_address_with_an_account_cannot_be_invited(world, session, login_as):
    admin = login_as(world.admin)  # the administrator reads Spanish
    response = _invite(admin, "MEMBER.GB@EXAMPLE.ORG", party=world.gb)
    assert response.status_code == 422
    assert "Ya existe una cuenta con este correo electrónico." in response.get_data(as_text=True)
    assert count(session, Invitation) == 0
    assert count(session, OutboxMessage) == 0


def test_coordinator_cannot_invite_into_another_party_or_a_higher_role(world, session, login_as):
    coordinator = login_as(world.coordinator_gb)
    attempts = [
        {"party": world.cl},
        {"party": world.gb, "role": Role.ADMINISTRATOR},
        {"party": world.gb, "role": Role.COORDINATOR},
    ]
    for attempt in attempts:
        response = _invite(coordinator, **attempt)
        assert response.status_code == 422, attempt
        assert "Choose one of the options in the list." in response.get_data(as_text=True), attempt
    assert _nothing_written(session)
    # The form only offers what the coordinator may give.
    page = coordinator.get("/invitations/new").get_data(as_text=True)
    assert f'value="{world.cl.id}"' not in page
    assert 'value="administrator"' not in page
    assert 'value="coordinator"' not in page


def test_member_cannot_open_the_invitation_form(world, session, login_as):
    member = login_as(world.member_gb)
    assert member.get("/invitations/new").status_code == 403
    # Nor post to it.
    token = csrf_token(member, "/account/")
    response = member.post(
        "/invitations/new",
        data={
            "csrf_token": token,
            "email": NEW_ADDRESS,
            "party_id": str(world.gb.id),
            "role": "member",
            "language": "en",
        },
    )
    assert response.status_code == 403
    assert _nothing_written(session)


def test_reinviting_revokes_the_earlier_link(app, world, session, login_as):
    admin = login_as(world.admin)
    first = _invitation_link(app, admin, party=world.gb)
    second = _invitation_link(app, admin, party=world.gb, role=Role.OBSERVER)
    assert first != second

    visitor = app.test_client()
    stale = visitor.get(first)
    assert stale.status_code == 404
    assert USED_LINK in stale.get_data(as_text=True)
    assert visitor.get(second).status_code == 200
    earlier, later = session.scalars(select(Invitation).order_by(Invitation.id)).all()
    assert earlier.revoked_at is not None
    assert later.revoked_at is None
    assert _accept(visitor, second).status_code == 302
    user = session.scalars(select(User).where(User.email == NEW_ADDRESS)).one()
    assert user.role == Role.OBSERVER
    assert visitor.get(first).status_code == 404


def test_invite_service_refuses_what_a_coordinator_may_not_give(world, app_context):
    """The rule holds in the service too, not only in the choices the form offers."""
    coordinator = app_context.get(User, world.coordinator_gb.id)
    refused = [
        (world.cl.id, Role.MEMBER),
        (world.gb.id, Role.ADMINISTRATOR),
        (world.gb.id, Role.COORDINATOR),
    ]
    for party_id, role in refused:
        request = InvitationRequest(NEW_ADDRESS, party_id, role, "en")
        with pytest.raises(Forbidden):
            invite(app_context, coordinator, request)
        assert not app_context.new
    allowed = InvitationRequest(NEW_ADDRESS, world.gb.id, Role.OBSERVER, "en")
    assert invite(app_context, coordinator, allowed).party_id == world.gb.id

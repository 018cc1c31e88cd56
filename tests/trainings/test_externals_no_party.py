"""An external participant belongs to no delegation: in the database, on every page, and in
every permission that compares delegations (no party is never the same party as another)."""

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from portal.accounts import access as account_access
from portal.accounts.models import Invitation, Role, User
from portal.audit import access as audit_access
from portal.audit.services import record
from portal.core import access as core_access
from portal.mous import access as mou_access
from portal.trainings import access as training_access
from portal.trainings.models import Training, TrainingInvitation
from tests import factories
from tests.conftest import post


def _party_id_stored(session, user: User):
    return session.execute(
        text("SELECT party_id FROM users WHERE id = :id"), {"id": user.id}
    ).scalar_one()


def test_an_external_participants_account_has_no_party_and_is_shown_as_external(
    world, session, login_as
):
    assert _party_id_stored(session, world.external_cl) is None
    assert world.external_cl.party is None
    record(session, "login", actor=world.external_cl)
    world.external_cl.language = world.admin.language = "en"
    session.commit()

    own = login_as(world.external_cl).get("/trainings/").get_data(as_text=True)
    assert f"{world.external_cl.name} · External participant" in own
    assert f"{world.external_cl.name} · CL" not in own

    admin = login_as(world.admin)
    accounts = admin.get("/admin/accounts/").get_data(as_text=True)
    assert "External participant" in accounts
    account = admin.get(f"/admin/accounts/{world.external_cl.id}").get_data(as_text=True)
    assert "None: external participant" in account
    log = admin.get("/admin/audit/").get_data(as_text=True)
    assert f"{world.external_cl.name} · External participant" in log


@pytest.mark.parametrize(
    ("role", "with_party"),
    [(Role.MEMBER, False), (Role.COORDINATOR, False), (Role.EXTERNAL, True)],
)
def test_the_database_refuses_a_delegation_account_without_party_and_an_external_with_one(
    world, session, role, with_party
):
    session.add(
        User(
            email="odd@example.org",
            name="Odd",
            password_hash="x",
            role=role,
            party=world.cl if with_party else None,
            language="en",
            timezone="UTC",
        )
    )
    with pytest.raises(IntegrityError, match="party_by_role"):
        session.flush()
    session.rollback()


def test_the_database_refuses_an_invitation_of_an_external_into_a_delegation(world, session):
    invitation = Invitation(
        email="odd@example.org",
        party=world.cl,
        role=Role.EXTERNAL,
        language="en",
        token_hash="0" * 64,
        expires_at=factories.datetime(2030, 1, 1, tzinfo=factories.UTC),
    )
    session.add(invitation)
    with pytest.raises(IntegrityError, match="party_by_role"):
        session.flush()
    session.rollback()


def test_no_party_is_never_the_same_party(world, session, training, make_document):
    """Two people of no delegation do not share one: None == None grants nothing."""
    assert core_access.same_party(None, None) is False
    assert core_access.same_party(world.cl.id, world.cl.id) is True
    # A coordinator of no delegation cannot exist in the database; were one loaded, the
    # rules that compare delegations would still give them nothing over an external.
    partyless = User(email="x@example.org", name="X", role=Role.COORDINATOR, party_id=None)
    partyless.id = 10_000
    external = world.external_cl
    assert not mou_access.can_manage_membership(partyless, world.group, external)
    assert not mou_access.can_view_mou(partyless, world.mou)
    assert not account_access.can_invite(partyless, world.cl, Role.MEMBER)
    assert not training_access.can_manage_training(partyless, training)
    assert not training_access.can_register_person(partyless, training, external)
    assert not audit_access.can_read_audit_log(partyless)
    assert not audit_access.can_read_audit_log(external)
    visible = select(Training.id).where(training_access.visible_trainings_clause(partyless))
    assert session.scalar(visible) is None


def test_any_coordinator_of_the_training_registers_an_invited_external(
    world, session, training, login_as
):
    """Registering an external no longer depends on the delegation they were filed under."""
    session.add(
        TrainingInvitation(
            training=training, email=world.external_cl.email, invited_by_id=world.coordinator_cl.id
        )
    )
    session.commit()
    for coordinator in (world.coordinator_cl, world.coordinator_gb, world.admin):
        assert training_access.can_register_person(coordinator, training, world.external_cl)
    assert not training_access.can_register_person(
        world.coordinator_co, training, world.external_cl
    )
    page = login_as(world.coordinator_gb).get(f"/trainings/{training.id}/register-person")
    assert f"{world.external_cl.name} (External participant)" in page.get_data(as_text=True)


def test_an_external_stays_of_no_delegation_when_an_administrator_changes_roles(
    world, session, login_as
):
    admin = login_as(world.admin)
    page = f"/admin/accounts/{world.external_cl.id}"
    response = post(admin, page, {"role": "member", "is_active": "y"}, token_from=page)
    assert response.status_code == 422
    assert "no pertenece a ninguna delegación" in response.get_data(as_text=True)  # admin: es
    session.rollback()
    assert (world.external_cl.role, world.external_cl.party_id) == (Role.EXTERNAL, None)

    page = f"/admin/accounts/{world.member_gb.id}"
    response = post(admin, page, {"role": "external", "is_active": "y"}, token_from=page)
    assert response.status_code == 302
    session.rollback()
    assert (world.member_gb.role, _party_id_stored(session, world.member_gb)) == (
        Role.EXTERNAL,
        None,
    )

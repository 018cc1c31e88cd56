"""After a lost device an administrator removes someone's second factor: asked first,
audited, mailed to the person, their sessions ended; they enrol again at the next login."""

from sqlalchemy import func, select

from portal.accounts.models import RecoveryCode, User, UserSession
from portal.audit.models import AuditEvent
from portal.notifications.models import OutboxMessage
from tests.conftest import login, post


def _path(user) -> str:
    return f"/admin/accounts/{user.id}/two-factor/reset"


def test_the_reset_asks_first_then_is_audited_mailed_and_ends_sessions(
    app, world, session, login_as
):
    victim = login_as(world.coordinator_gb)  # still logged in on the lost phone's browser
    admin = login_as(world.admin)
    account_page = admin.get(f"/admin/accounts/{world.coordinator_gb.id}").get_data(as_text=True)
    assert _path(world.coordinator_gb) in account_page
    question = admin.get(_path(world.coordinator_gb))
    assert question.status_code == 200
    assert "¿Eliminar la verificación en dos pasos de" in question.get_data(as_text=True)
    session.rollback()
    assert session.get(User, world.coordinator_gb.id).has_second_factor  # nothing yet

    done = post(admin, _path(world.coordinator_gb), token_from=_path(world.coordinator_gb))
    assert done.headers["Location"] == f"/admin/accounts/{world.coordinator_gb.id}"
    session.rollback()
    person = session.get(User, world.coordinator_gb.id)
    assert not person.has_second_factor and person.totp_secret is None
    assert session.scalar(select(func.count()).select_from(RecoveryCode)) == 0
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "two_factor.reset")).one()
    assert (event.actor_id, event.object_id) == (world.admin.id, str(world.coordinator_gb.id))
    notice = session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "security_two_factor_reset")
    ).one()
    assert notice.recipient == world.coordinator_gb.email
    assert victim.get("/").status_code == 302
    open_sessions = select(func.count()).where(
        UserSession.user_id == person.id, UserSession.ended_at.is_(None)
    )
    assert session.scalar(open_sessions) == 0

    again = app.test_client()
    login(again, world.coordinator_gb)  # the password alone now, then the set-up
    assert again.get("/").headers["Location"] == "/account/two-factor/setup"


def test_nobody_else_may_reset_and_an_admin_not_their_own(world, session, login_as):
    path = _path(world.coordinator_cl)
    for actor in (world.coordinator_gb, world.member_cl):
        browser = login_as(actor)
        assert browser.get(path).status_code == 403
        assert post(browser, path).status_code == 403
    admin = login_as(world.admin)
    assert admin.get(_path(world.admin)).status_code == 403
    session.rollback()
    assert session.get(User, world.coordinator_cl.id).has_second_factor
    assert session.get(User, world.admin.id).has_second_factor

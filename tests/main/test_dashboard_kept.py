"""The kept dashboard (portal/main/dashboard.py): a reader's lines and panels are kept under
the dashboard's generation, their last visit and the minute, read in one short statement. Each
kind of change the dashboard counts, made through another session (as another server process
would), shows at once; a minute passing, the reader's language and a failed mail too.
"""

from datetime import UTC, date, datetime, timedelta

import time_machine
from sqlalchemy import select, update

from portal.actions.models import ActionItem, ActionStatus
from portal.core.extensions import db
from portal.core.kept import KeptGeneration
from portal.meetings.models import Invitee, Reply
from portal.mous.models import Membership
from portal.notifications.models import OutboxMessage, OutboxStatus
from tests import factories
from tests.helpers.statements import count_statements

SOON = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)


def _dashboard(browser) -> str:
    response = browser.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _body(page: str) -> str:
    """The page without what differs between two loads of it (the form token)."""
    return page.split("<main", 1)[-1].split("</main>", 1)[0]


def test_a_kept_dashboard_is_read_in_two_statements_and_shows_the_same(
    app, world, session, login_as
):
    factories.make_meeting(session, world.group, SOON, title_en="Sync", invitees=[world.member_gb])
    factories.make_action(session, world.group, [world.member_gb], date.today())
    session.commit()
    browser = login_as(world.member_gb)
    first = _dashboard(browser)
    with count_statements(app) as statements:
        again = _dashboard(browser)

    assert len(statements) == 2  # the reader's session, then the generation and last visit
    assert "kept_generations" in statements[1]
    assert _body(again) == _body(first)
    assert "1 meeting waits for your reply" in again and "Sync" in again


def test_a_reply_shows_at_once(world, session, login_as):
    meeting = factories.make_meeting(session, world.group, SOON, invitees=[world.member_gb])
    session.commit()
    browser = login_as(world.member_gb)
    assert "1 meeting waits for your reply" in _dashboard(browser)

    invitation = session.scalar(select(Invitee).where(Invitee.meeting_id == meeting.id))
    invitation.reply = Reply.ACCEPTED
    session.commit()

    assert "waits for your reply" not in _dashboard(browser)


def test_a_new_invitation_and_a_declined_one_show_at_once(world, session, login_as):
    browser = login_as(world.member_gb)
    assert "Planning" not in _dashboard(browser)

    meeting = factories.make_meeting(
        session, world.group, SOON, title_en="Planning", invitees=[world.member_gb]
    )
    session.commit()
    assert "Planning" in _dashboard(browser)

    meeting.invitees[0].reply = Reply.DECLINED
    session.commit()
    assert "Planning" not in _dashboard(browser)


def test_a_closed_action_item_shows_at_once(world, session, login_as):
    item = factories.make_action(
        session, world.group, [world.member_gb], date.today() - timedelta(days=3)
    )
    session.commit()
    browser = login_as(world.member_gb)
    assert "1 of your action items is overdue" in _dashboard(browser)

    session.get(ActionItem, item.id).status = ActionStatus.DONE
    session.commit()

    assert "overdue" not in _dashboard(browser)


def test_a_new_document_shows_at_once(app, world, session, login_as):
    browser = login_as(world.member_gb)
    assert "shared with you since your last visit" not in _dashboard(browser)

    factories.make_document(app, world.coordinator_cl, world.mou, world.group, title="Report")

    assert "1 document was shared with you since your last visit" in _dashboard(browser)


def test_a_registration_shows_at_once(world, session, login_as):
    training = factories.make_training(
        session, world.mou, SOON + timedelta(days=3), title_en="Forensics course"
    )
    session.commit()
    browser = login_as(world.member_gb)
    assert "Forensics course" not in _dashboard(browser)

    factories.make_registration(session, training, world.member_gb)
    session.commit()

    assert "Forensics course" in _dashboard(browser)


def test_becoming_a_co_chair_shows_the_groups_overdue_items_at_once(world, session, login_as):
    factories.make_action(session, world.group, [world.member_cl], date.today() - timedelta(days=2))
    session.commit()
    browser = login_as(world.member_gb)
    line = "1 action item of the groups you look after is overdue"
    assert line not in _dashboard(browser)

    membership = session.scalar(select(Membership).where(Membership.user_id == world.member_gb.id))
    membership.is_co_chair = True
    session.commit()

    assert line in _dashboard(browser)


def test_a_minute_passing_moves_an_item_due_today_to_overdue(world, session, login_as):
    today = datetime.now(UTC).replace(hour=23, minute=59, second=0, microsecond=0)
    with time_machine.travel(today, tick=False):
        factories.make_action(session, world.group, [world.member_gb], today.date())
        session.commit()
        browser = login_as(world.member_gb)
        assert "is due within" in _dashboard(browser)
    with time_machine.travel(today + timedelta(minutes=1, seconds=1), tick=False):
        page = _dashboard(browser)
    assert "1 of your action items is overdue" in page
    assert "is due within" not in page


def test_the_same_reader_in_another_language_gets_their_own(world, session, login_as):
    factories.make_meeting(session, world.group, SOON, invitees=[world.member_gb])
    session.commit()
    browser = login_as(world.member_gb)
    assert "1 meeting waits for your reply" in _dashboard(browser)

    world.member_gb.language = "es"
    session.add(world.member_gb)
    session.commit()
    spanish = login_as(world.member_gb)

    assert "1 reunión espera su respuesta" in _dashboard(spanish)


def test_a_failed_mail_is_counted_at_once_though_written_past_the_orm(
    app, world, session, login_as
):
    session.add(
        OutboxMessage(
            kind="meeting_invitation",
            recipient="someone@example.org",
            subject="Subject",
            body_text="Text",
            body_html="<p>Text</p>",
            message_id="<kept-dashboard@portal.test>",
            status=OutboxStatus.PENDING,
        )
    )
    session.commit()
    browser = login_as(world.admin)
    assert "status=failed" not in _dashboard(browser)  # the line links to the failed mails

    session.execute(update(OutboxMessage).values(status=OutboxStatus.FAILED))
    session.commit()

    assert "/outbox/?status=failed" in _dashboard(browser)


def test_without_its_generation_row_nothing_is_kept(app, world, session, login_as):
    session.execute(KeptGeneration.__table__.delete())
    session.commit()
    browser = login_as(world.member_gb)
    _dashboard(browser)
    with count_statements(app) as statements:
        page = _dashboard(browser)

    assert len(statements) > 2
    assert "Welcome" in page
    with app.app_context():
        db.session.remove()


def test_a_reader_of_the_same_party_and_role_never_gets_anothers(world, session, login_as):
    factories.make_meeting(
        session,
        world.group,
        SOON,
        title_en="Group only",
        title_es="Group only",
        invitees=[world.member_cl],
    )
    session.commit()
    assert "Group only" in _dashboard(login_as(world.member_cl))

    page = _dashboard(login_as(world.member_cl_outside_group))

    assert "Group only" not in page and "espera su respuesta" not in page

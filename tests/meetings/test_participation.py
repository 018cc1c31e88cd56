"""Agenda, invitees, replies (page and mail link) and attendance."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from portal.core.db import utcnow
from portal.meetings.models import AgendaItem, Attendance, Invitee, Reply
from portal.meetings.reply_links import _serializer, reply_token, reply_tokens
from portal.notifications.models import OutboxMessage
from tests.conftest import post
from tests.factories import make_meeting, make_user
from tests.helpers.notifications import worker_first_step


def _meeting(session, world, starts_at=None, **fields):
    meeting = make_meeting(
        session,
        world.group,
        starts_at or datetime(2030, 5, 14, 14, tzinfo=UTC),
        invitees=[world.coordinator_cl, world.coordinator_gb, world.member_cl, world.member_gb],
        **fields,
    )
    session.commit()
    return meeting


def _invitee(session, meeting, user):
    session.expire_all()
    return session.scalar(
        select(Invitee).where(Invitee.meeting_id == meeting.id, Invitee.user_id == user.id)
    )


def test_agenda_items_are_added_in_order_moved_and_removed(login_as, world, session):
    meeting = _meeting(session, world)
    browser = login_as(world.coordinator_gb)
    page = f"/meetings/{meeting.id}"
    for title in ("Welcome", "CSIRT exchange", "Next steps"):
        data = {"agenda-title": title, "agenda-presenter": "Emily", "agenda-planned_minutes": "15"}
        assert post(browser, f"{page}/agenda", data, token_from=page).status_code == 302
    items = session.scalars(select(AgendaItem).order_by(AgendaItem.position)).all()
    assert [i.title for i in items] == ["Welcome", "CSIRT exchange", "Next steps"]
    post(browser, f"{page}/agenda/{items[2].id}/up", token_from=page)
    post(browser, f"{page}/agenda/{items[0].id}/remove", {"confirmed": "1"}, token_from=page)
    session.expire_all()
    items = session.scalars(select(AgendaItem).order_by(AgendaItem.position)).all()
    assert [(i.position, i.title) for i in items] == [(1, "Next steps"), (2, "CSIRT exchange")]


def test_a_bad_agenda_item_shows_the_error_and_writes_nothing(login_as, world, session):
    meeting = _meeting(session, world)
    browser = login_as(world.coordinator_cl)
    page = f"/meetings/{meeting.id}"
    for data in (
        {"agenda-title": ""},
        {"agenda-title": "x" * 10_000},
        {"agenda-title": "Ok", "agenda-planned_minutes": "-5"},
        {"agenda-title": "Ok", "agenda-planned_minutes": "ten"},
    ):
        response = post(browser, f"{page}/agenda", data, token_from=page)
        assert response.status_code == 422, data
        assert "is-invalid" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(AgendaItem)) == 0


def test_members_reply_from_the_page_and_coordinators_see_counts(login_as, world, session):
    meeting = _meeting(session, world)
    page = f"/meetings/{meeting.id}"
    member = login_as(world.member_gb)
    response = post(
        member, f"{page}/reply", {"reply": "tentative", "comment": "Travelling"}, token_from=page
    )
    assert response.status_code == 302
    invitee = _invitee(session, meeting, world.member_gb)
    assert (invitee.reply, invitee.comment) == (Reply.TENTATIVE, "Travelling")
    text = login_as(world.coordinator_cl).get(page).get_data(as_text=True)
    assert "Travelling" in text
    # An observer who is not invited cannot reply.
    observer = login_as(world.observer_gb)
    response = post(observer, f"{page}/reply", {"reply": "accepted"}, token_from=page)
    assert response.status_code == 403


def test_the_mail_link_confirms_before_it_changes_anything(client, world, session, login_as):
    coordinator = login_as(world.coordinator_cl)
    path = f"/working-groups/{world.group.id}/meetings/new"
    post(
        coordinator,
        path,
        {
            "title_en": "Kick-off",
            "title_es": "Inicio",
            "start_local": "2030-05-14T10:00",
            "end_local": "2030-05-14T11:00",
            "timezone": "America/Santiago",
            "tlp": "amber",
            "repeat": "none",
        },
        token_from=path,
    )
    worker_first_step(coordinator.application)  # the invitations are mailed
    mail = session.scalar(
        select(OutboxMessage).where(OutboxMessage.recipient == world.member_gb.email)
    )
    link = next(line for line in mail.body_text.splitlines() if "answer=declined" in line)
    url = link.split(": ", 1)[1].removeprefix("http://portal.test")
    page = client.get(url)  # a mail scanner opening the link changes nothing
    assert page.status_code == 200
    invitee = session.scalar(select(Invitee).where(Invitee.user_id == world.member_gb.id))
    assert invitee.reply == Reply.NEEDS_ACTION
    token_page = url.split("?")[0]
    response = post(client, token_page, {"reply": "declined"}, token_from=token_page)
    assert response.status_code == 200
    assert "Decline" in response.get_data(as_text=True)
    assert _invitee(session, invitee.meeting, world.member_gb).reply == Reply.DECLINED
    assert client.get("/meetings/reply/forged-token").status_code == 404


def test_coordinator_invites_someone_of_the_parties_but_not_outsiders(login_as, world, session):
    meeting = _meeting(session, world)
    newcomer = make_user(session, world.gb, name="Zoe Newcomer")
    session.commit()
    browser = login_as(world.coordinator_cl)
    page = f"/meetings/{meeting.id}"
    assert "Zoe Newcomer" in browser.get(f"{page}/manage").get_data(as_text=True)
    assert (
        post(
            browser, f"{page}/invitees", {"invitee-user_id": newcomer.id}, token_from=page
        ).status_code
        == 302
    )
    assert _invitee(session, meeting, newcomer) is not None
    mail = session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == newcomer.email))
    assert mail.ics_method == "REQUEST"
    # Colombia is not a party of this MoU.
    response = post(
        browser, f"{page}/invitees", {"invitee-user_id": world.member_co.id}, token_from=page
    )
    assert response.status_code == 422
    assert _invitee(session, meeting, world.member_co) is None
    # The invited newcomer can now see the meeting although not a member of the group.
    assert login_as(newcomer).get(page).status_code == 200


def test_withdrawing_an_invitation_sends_a_cancellation(login_as, world, session):
    meeting = _meeting(session, world)
    invitee = _invitee(session, meeting, world.member_gb)
    browser = login_as(world.coordinator_cl)
    page = f"/meetings/{meeting.id}"
    assert (
        post(
            browser, f"{page}/invitees/{invitee.id}/remove", {"confirmed": "1"}, token_from=page
        ).status_code
        == 302
    )
    assert _invitee(session, meeting, world.member_gb) is None
    mail = session.scalar(
        select(OutboxMessage).where(OutboxMessage.recipient == world.member_gb.email)
    )
    assert mail.ics_method == "CANCEL"


def test_attendance_is_recorded_after_the_start_and_counted_per_delegation(
    login_as, world, session
):
    future = _meeting(session, world)
    past = _meeting(session, world, starts_at=utcnow() - timedelta(hours=2))
    browser = login_as(world.coordinator_gb)
    marks = {
        f"invitee_{_invitee(session, past, user).id}": value
        for user, value in (
            (world.coordinator_cl, "present"),
            (world.coordinator_gb, "present"),
            (world.member_cl, "partial"),
            (world.member_gb, "absent"),
        )
    }
    page = f"/meetings/{past.id}"
    assert post(browser, f"{page}/attendance", marks, token_from=page).status_code == 302
    assert _invitee(session, past, world.member_cl).attendance == Attendance.PARTIAL
    text = browser.get(page).get_data(as_text=True)
    attendance_table = text[text.index('id="attendance"') :]
    assert (
        "<td>1</td><td>0</td><td>1</td>" in attendance_table
    )  # CL: 1 present, 0 absent, 1 partial
    # Not before the meeting starts; not with made-up values.
    future_page = f"/meetings/{future.id}"
    future_marks = {f"invitee_{i.id}": "present" for i in future.invitees}
    assert (
        post(browser, f"{future_page}/attendance", future_marks, token_from=future_page).status_code
        == 422
    )
    bad = {next(iter(marks)): "asleep"}
    assert post(browser, f"{page}/attendance", bad, token_from=page).status_code == 422
    # Members do not record attendance.
    member = login_as(world.member_cl)
    assert post(member, f"{page}/attendance", marks, token_from=page).status_code == 403


def test_the_reply_links_of_a_mail_for_many_are_those_of_a_mail_for_one(app):
    """reply_tokens() signs faster than reply_token(); a mail's links must answer the same
    invitation (ids repeating long digit runs get an uncompressed token that reads the same)."""
    with app.app_context():
        token_for = reply_tokens()
        for invitee_id, meeting_id in [(1, 1), (504, 12), (123456, 7890), (98765, 98765)]:
            invitee = Invitee(id=invitee_id, meeting_id=meeting_id)
            assert token_for(invitee) == reply_token(invitee)
        for invitee_id, meeting_id in [(2**31 - 1, 2**31 - 1), (111111111, 1111111111)]:
            payload = _serializer().loads(token_for(Invitee(id=invitee_id, meeting_id=meeting_id)))
            assert payload == {"invitee": invitee_id, "meeting": meeting_id}

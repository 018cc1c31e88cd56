"""Issue 13 item 4: a meeting closes as it passes.

After its end nobody replies (no form, a POST refused with a clear message and nothing
written), nor cancels it; attendance is recorded from its start; its minutes come first.
A meeting created with a start in the past is recorded only when confirmed, and nobody is
sent an invitation.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import func, select

from portal.core.db import utcnow
from portal.core.extensions import db
from portal.meetings.models import Invitee, Meeting, MeetingStatus, Reply
from portal.meetings.reply_links import reply_token
from portal.notifications.models import OutboxMessage
from tests.conftest import post
from tests.factories import make_meeting
from tests.helpers.notifications import worker_first_step

STARTS = datetime(2030, 5, 14, 14, tzinfo=UTC)
ENDS = STARTS + timedelta(hours=1)
REPLY_FORM = 'action="/meetings/{}/reply"'


def _meeting(session, world, **fields) -> Meeting:
    world.member_cl.language = "en"
    meeting = make_meeting(
        session,
        world.group,
        fields.pop("starts_at", STARTS),
        invitees=[world.coordinator_cl, world.member_cl, world.member_gb],
        **fields,
    )
    session.commit()
    return meeting


def _reply_of(session, meeting, user) -> Invitee:
    session.expire_all()
    return session.scalar(
        select(Invitee).where(Invitee.meeting_id == meeting.id, Invitee.user_id == user.id)
    )


def _outbox_count(session) -> int:
    session.rollback()
    return session.scalar(select(func.count()).select_from(OutboxMessage))


def test_after_its_end_nobody_can_reply_to_a_meeting(app, client, login_as, world, session):
    meeting = _meeting(session, world)
    page = f"/meetings/{meeting.id}"
    invitee = _reply_of(session, meeting, world.member_gb)
    with app.test_request_context():
        link = f"/meetings/reply/{reply_token(db.session.get(Invitee, invitee.id))}"

    with time_machine.travel(ENDS - timedelta(minutes=1), tick=False):
        reader = login_as(world.member_gb)
        assert REPLY_FORM.format(meeting.id) in reader.get(page).get_data(as_text=True)

    with time_machine.travel(ENDS, tick=False):
        reader = login_as(world.member_gb)
        shown = reader.get(page).get_data(as_text=True)
        assert REPLY_FORM.format(meeting.id) not in shown
        assert "This meeting is over: replies are closed." in shown
        response = post(reader, f"{page}/reply", {"reply": "accepted"}, token_from=page)
        assert response.status_code == 409
        assert "This meeting is over: replies are closed." in response.get_data(as_text=True)

        by_link = client.get(link + "?answer=accepted").get_data(as_text=True)
        assert "replies are closed" in by_link and "Send my reply" not in by_link
        response = post(client, link, {"reply": "accepted"}, token_from=link)
        assert response.status_code == 409

    after = _reply_of(session, meeting, world.member_gb)
    assert (after.reply, after.replied_at) == (Reply.NEEDS_ACTION, None)


def test_a_page_kept_before_the_end_shows_no_reply_form_after_it(login_as, world, session):
    meeting = _meeting(session, world)
    page = f"/meetings/{meeting.id}"
    with time_machine.travel(ENDS - timedelta(minutes=5), tick=False):
        before = login_as(world.member_cl).get(page).get_data(as_text=True)
    assert REPLY_FORM.format(meeting.id) in before
    assert before.index('id="agenda"') < before.index('id="minutes"')
    with time_machine.travel(ENDS + timedelta(seconds=1), tick=False):
        after = login_as(world.member_cl).get(page).get_data(as_text=True)
    assert REPLY_FORM.format(meeting.id) not in after
    assert after.index('id="minutes"') < after.index('id="agenda"')  # the minutes first


def test_a_meeting_cannot_be_cancelled_once_over(login_as, world, session):
    meeting = _meeting(session, world)
    page = f"/meetings/{meeting.id}"
    before = _outbox_count(session)
    with time_machine.travel(ENDS + timedelta(minutes=1), tick=False):
        coordinator = login_as(world.coordinator_gb)
        assert "Cancel the meeting" not in coordinator.get(f"{page}/manage").get_data(as_text=True)
        response = post(
            coordinator, f"{page}/cancel", {"scope": "this", "confirmed": "1"}, token_from=page
        )
        assert response.status_code == 409
        assert "it can no longer be cancelled" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Meeting, meeting.id).status == MeetingStatus.SCHEDULED
    assert _outbox_count(session) == before
    with time_machine.travel(ENDS - timedelta(minutes=1), tick=False):
        coordinator = login_as(world.coordinator_gb)
        assert "Cancel the meeting" in coordinator.get(f"{page}/manage").get_data(as_text=True)


def test_attendance_can_be_recorded_only_from_the_start(login_as, world, session):
    meeting = _meeting(session, world)
    page = f"/meetings/{meeting.id}"
    gb = _reply_of(session, meeting, world.member_gb)
    with time_machine.travel(STARTS - timedelta(minutes=1), tick=False):
        coordinator = login_as(world.coordinator_gb)
        assert "Record attendance" not in coordinator.get(f"{page}/manage").get_data(as_text=True)
        mark = {f"invitee_{gb.id}": "present"}
        response = post(coordinator, f"{page}/attendance", mark, token_from=page)
        assert response.status_code == 422
    assert _reply_of(session, meeting, world.member_gb).attendance.value == "unknown"
    with time_machine.travel(STARTS, tick=False):
        coordinator = login_as(world.coordinator_gb)
        assert "Record attendance" in coordinator.get(f"{page}/manage").get_data(as_text=True)
        assert post(coordinator, f"{page}/attendance", mark, token_from=page).status_code == 302
    assert _reply_of(session, meeting, world.member_gb).attendance.value == "present"


def test_each_occurrence_of_a_series_closes_at_its_own_end(login_as, world, session):
    first = _meeting(session, world)
    second = _meeting(session, world, starts_at=STARTS + timedelta(days=7))
    with time_machine.travel(ENDS + timedelta(days=1), tick=False):
        reader = login_as(world.member_gb)
        for meeting, open_ in ((first, False), (second, True)):
            page = f"/meetings/{meeting.id}"
            shown = reader.get(page).get_data(as_text=True)
            assert (REPLY_FORM.format(meeting.id) in shown) == open_
            status = post(reader, f"{page}/reply", {"reply": "accepted"}, token_from=page)
            assert status.status_code == (302 if open_ else 409)


def _new_meeting_form(start: datetime, **extra) -> dict:
    local = start.astimezone(ZoneInfo("America/Santiago"))
    return {
        "title_en": "Incident review",
        "title_es": "Revisión del incidente",
        "start_local": local.strftime("%Y-%m-%dT%H:%M"),
        "end_local": (local + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "timezone": "America/Santiago",
        "tlp": "amber",
        "repeat": "none",
        **extra,
    }


def test_a_meeting_with_a_past_start_is_recorded_only_when_confirmed_and_invites_nobody(
    login_as, world, session
):
    path = f"/working-groups/{world.group.id}/meetings/new"
    coordinator = login_as(world.coordinator_gb)
    yesterday = utcnow().replace(second=0, microsecond=0) - timedelta(days=1)
    before = _outbox_count(session)

    asked = post(coordinator, path, _new_meeting_form(yesterday), token_from=path)
    page = asked.get_data(as_text=True)
    assert asked.status_code == 422
    assert "To record a past meeting, tick the box" in page
    assert 'name="record_past"' in page
    assert session.scalar(select(func.count()).select_from(Meeting)) == 0

    form = _new_meeting_form(yesterday, record_past="y")
    recorded = post(coordinator, path, form, token_from=path)
    assert recorded.status_code == 302
    session.rollback()
    meeting = session.scalars(select(Meeting)).one()
    assert {i.user_id for i in meeting.invitees} >= {world.member_cl.id, world.member_gb.id}
    assert worker_first_step(coordinator.application) == 0  # nothing left to mail
    assert _outbox_count(session) == before  # no invitation
    shown = login_as(world.member_gb).get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert REPLY_FORM.format(meeting.id) not in shown  # replies closed
    assert "no invitation was sent" in coordinator.get(path).get_data(as_text=True)

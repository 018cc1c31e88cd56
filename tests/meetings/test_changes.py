"""Changing and cancelling meetings and series: what is stored and what people are told."""

from datetime import UTC, datetime

from sqlalchemy import select

from portal.meetings.models import Meeting, MeetingSeries, MeetingStatus, Reply
from portal.notifications.models import OutboxMessage
from tests.conftest import post
from tests.helpers.notifications import worker_first_step

NEW = "/working-groups/{}/meetings/new"


def _fields(**overrides):
    data = {
        "title_en": "Monthly call",
        "title_es": "Llamada mensual",
        "start_local": "2030-01-08T10:00",
        "end_local": "2030-01-08T11:00",
        "timezone": "Europe/London",
        "tlp": "amber",
        "repeat": "none",
    }
    data.update(overrides)
    return data


def _schedule(browser, world, **overrides):
    path = NEW.format(world.group.id)
    response = post(browser, path, _fields(**overrides), token_from=path)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    worker_first_step(browser.application)  # the invitations are mailed


def _mails(session, method=None):
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if method:
        query = query.where(OutboxMessage.ics_method == method)
    return session.scalars(query).all()


def _meetings(session):
    session.expire_all()
    return session.scalars(select(Meeting).order_by(Meeting.starts_at, Meeting.id)).all()


def test_moving_a_meeting_raises_the_sequence_asks_to_confirm_replies_and_tells_everyone(
    login_as, world, session
):
    browser = login_as(world.coordinator_gb)
    _schedule(browser, world)
    meeting = _meetings(session)[0]
    member = login_as(world.member_cl)
    post(
        member,
        f"/meetings/{meeting.id}/reply",
        {"reply": "accepted"},
        token_from=f"/meetings/{meeting.id}",
    )
    before = len(_mails(session))
    edit = f"/meetings/{meeting.id}/edit"
    response = post(
        browser,
        edit,
        _fields(start_local="2030-01-08T12:00", end_local="2030-01-08T13:00", scope="this"),
        token_from=edit,
    )
    assert response.status_code == 302
    meeting = _meetings(session)[0]
    assert meeting.starts_at == datetime(2030, 1, 8, 12, tzinfo=UTC)
    assert meeting.sequence == 1
    replied = next(i for i in meeting.invitees if i.user_id == world.member_cl.id)
    assert replied.reply == Reply.ACCEPTED and replied.reconfirm
    assert not any(i.reconfirm for i in meeting.invitees if i is not replied)
    changes = _mails(session)[before:]
    assert len(changes) == 4
    assert all(
        "Changed" in m.subject or "Cambio" in m.subject or "Modific" in m.subject for m in changes
    )
    assert all("SEQUENCE:1" in m.ics_content for m in changes)
    assert all(meeting.uid in m.ics_content.replace("\r\n ", "") for m in changes)


def test_saving_without_changes_tells_nobody(login_as, world, session):
    browser = login_as(world.coordinator_gb)
    _schedule(browser, world)
    meeting = _meetings(session)[0]
    before = len(_mails(session))
    edit = f"/meetings/{meeting.id}/edit"
    post(browser, edit, _fields(scope="this"), token_from=edit)
    assert len(_mails(session)) == before
    assert _meetings(session)[0].sequence == 0


def test_cancelling_a_meeting_sends_cancel_and_keeps_it_visible_as_cancelled(
    login_as, world, session
):
    browser = login_as(world.coordinator_cl)
    _schedule(browser, world)
    meeting = _meetings(session)[0]
    page = f"/meetings/{meeting.id}"
    assert (
        post(
            browser, f"{page}/cancel", {"scope": "this", "confirmed": "1"}, token_from=page
        ).status_code
        == 302
    )
    meeting = _meetings(session)[0]
    assert meeting.status == MeetingStatus.CANCELLED
    cancels = _mails(session, "CANCEL")
    assert len(cancels) == 4
    assert all("STATUS:CANCELLED" in m.ics_content for m in cancels)
    assert "Cancelled" in browser.get(page).get_data(as_text=True) or "Cancelada" in browser.get(
        page
    ).get_data(as_text=True)
    edit = f"/meetings/{meeting.id}/edit"
    assert post(browser, edit, _fields(scope="this"), token_from=page).status_code == 422


def test_one_occurrence_of_a_series_is_moved_and_another_cancelled(login_as, world, session):
    browser = login_as(world.coordinator_gb)
    _schedule(browser, world, repeat="monthly_weekday", count="4")  # second Tuesday, 10:00 London
    first, second, third, fourth = _meetings(session)
    assert [m.starts_at.date().isoformat() for m in (first, second, third, fourth)] == [
        "2030-01-08",
        "2030-02-12",
        "2030-03-12",
        "2030-04-09",
    ]
    edit = f"/meetings/{second.id}/edit"
    post(
        browser,
        edit,
        _fields(start_local="2030-02-13T15:00", end_local="2030-02-13T16:00", scope="this"),
        token_from=edit,
    )
    page = f"/meetings/{third.id}"
    post(browser, f"{page}/cancel", {"scope": "this", "confirmed": "1"}, token_from=page)
    series = session.scalars(select(MeetingSeries)).one()
    assert series.sequence == 2
    meetings = _meetings(session)
    moved = next(m for m in meetings if m.id == second.id)
    assert moved.is_exception and moved.original_start_local == datetime(2030, 2, 12, 10, 0)
    assert next(m for m in meetings if m.id == third.id).status == MeetingStatus.CANCELLED
    last_request = _mails(session, "REQUEST")[-1].ics_content.replace("\r\n ", "")
    assert "RECURRENCE-ID;TZID=Europe/London:20300212T100000" in last_request
    cancel = _mails(session, "CANCEL")[-1].ics_content.replace("\r\n ", "")
    assert "RECURRENCE-ID;TZID=Europe/London:20300312T100000" in cancel


def test_this_and_following_splits_the_series(login_as, world, session):
    browser = login_as(world.coordinator_gb)
    _schedule(browser, world, repeat="weekly", count="4")
    third = _meetings(session)[2]
    edit = f"/meetings/{third.id}/edit"
    response = post(
        browser,
        edit,
        _fields(start_local="2030-01-22T16:00", end_local="2030-01-22T17:00", scope="following"),
        token_from=edit,
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    series = session.scalars(select(MeetingSeries).order_by(MeetingSeries.id)).all()
    assert len(series) == 2
    old, new = series
    assert "UNTIL=" in old.rrule and "COUNT=2" in new.rrule
    starts = [m.starts_at for m in _meetings(session)]
    assert starts == [
        datetime(2030, 1, 8, 10, tzinfo=UTC),
        datetime(2030, 1, 15, 10, tzinfo=UTC),
        datetime(2030, 1, 22, 16, tzinfo=UTC),
        datetime(2030, 1, 29, 16, tzinfo=UTC),
    ]
    assert old.uid != new.uid


def test_cancelling_a_whole_series_from_its_first_meeting(login_as, world, session):
    browser = login_as(world.coordinator_gb)
    _schedule(browser, world, repeat="weekly", count="3")
    first = _meetings(session)[0]
    page = f"/meetings/{first.id}"
    post(browser, f"{page}/cancel", {"scope": "following", "confirmed": "1"}, token_from=page)
    assert all(m.status == MeetingStatus.CANCELLED for m in _meetings(session))
    cancel = _mails(session, "CANCEL")[-1].ics_content.replace("\r\n ", "")
    assert "RRULE:" in cancel and "RECURRENCE-ID" not in cancel

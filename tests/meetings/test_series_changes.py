"""Changing a series keeps its occurrences (issue 13, items 1, 3 and 7).

Changing "this and all following" or the whole series changes the existing meetings in place:
same ids and pages, replies (kept, to confirm again when the time moved), agenda and
attendance kept; the meetings the new rule no longer makes are cancelled and kept. A series
starts on its rule, or the form says which date would be its first.
"""

import re
from datetime import UTC, datetime

from sqlalchemy import select

from portal.meetings.models import (
    AgendaItem,
    Attendance,
    Invitee,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Reply,
)
from portal.notifications.models import OutboxMessage
from tests.conftest import post
from tests.helpers.notifications import worker_first_step
from tests.helpers.statements import count_statements

NEW = "/working-groups/{}/meetings/new"
REPLY_LINK = re.compile(r"/meetings/reply/[A-Za-z0-9_.\-]+")


def _fields(**overrides):
    data = {
        "title_en": "Weekly call",
        "title_es": "Llamada semanal",
        "start_local": "2030-01-08T10:00",
        "end_local": "2030-01-08T11:00",
        "timezone": "Europe/London",
        "tlp": "amber",
        "repeat": "weekly",
        "count": "4",
    }
    data.update(overrides)
    return data


def _schedule(browser, world, **overrides):
    path = NEW.format(world.group.id)
    response = post(browser, path, _fields(**overrides), token_from=path)
    worker_first_step(browser.application)  # the invitations are mailed
    return response


def _edit(browser, meeting_id: int, **fields):
    edit = f"/meetings/{meeting_id}/edit"
    data = _fields(**fields)
    for name in ("repeat", "count"):
        data.pop(name)
    return post(browser, edit, data, token_from=edit)


def _meetings(session) -> list[Meeting]:
    session.expire_all()
    return session.scalars(select(Meeting).order_by(Meeting.id)).all()


def _mails(session, **where) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    for name, value in where.items():
        query = query.where(getattr(OutboxMessage, name) == value)
    return session.scalars(query).all()


def _reply(browser, meeting_id: int, answer: str, following: bool = False) -> None:
    page = f"/meetings/{meeting_id}"
    data = {"reply": answer, **({"following": "y"} if following else {})}
    assert post(browser, f"{page}/reply", data, token_from=page).status_code == 302


def test_changing_this_and_following_keeps_each_meeting_and_what_is_attached_to_it(
    login_as, world, session
):
    coordinator = login_as(world.coordinator_gb)
    assert _schedule(coordinator, world).status_code == 302
    first, second, third, fourth = _meetings(session)
    member = login_as(world.member_cl)
    _reply(member, third.id, "accepted", following=True)
    page = f"/meetings/{third.id}"
    post(coordinator, f"{page}/agenda", {"agenda-title": "Exercise debrief"}, token_from=page)
    invitee = session.scalars(
        select(Invitee).where(
            Invitee.meeting_id == fourth.id, Invitee.user_id == world.member_gb.id
        )
    ).one()
    invitee.attendance = Attendance.PRESENT  # recorded earlier; only its keeping is asked here
    session.commit()
    old_uid = third.uid

    response = _edit(
        coordinator,
        third.id,
        start_local="2030-01-22T16:00",
        end_local="2030-01-22T17:00",
        scope="following",
    )

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/meetings/{third.id}")
    meetings = _meetings(session)
    assert [m.id for m in meetings] == [first.id, second.id, third.id, fourth.id]
    assert [m.starts_at for m in meetings] == [
        datetime(2030, 1, 8, 10, tzinfo=UTC),
        datetime(2030, 1, 15, 10, tzinfo=UTC),
        datetime(2030, 1, 22, 16, tzinfo=UTC),
        datetime(2030, 1, 29, 16, tzinfo=UTC),
    ]
    assert all(m.status == MeetingStatus.SCHEDULED for m in meetings)
    moved = meetings[2:]
    assert moved[0].uid == moved[1].uid != old_uid  # a split is a new series (RFC 5546)
    assert meetings[0].uid == meetings[1].uid == old_uid
    replies = [next(i for i in m.invitees if i.user_id == world.member_cl.id) for m in moved]
    assert all(r.reply == Reply.ACCEPTED and r.reconfirm for r in replies)
    assert [a.title for a in session.scalars(select(AgendaItem))] == ["Exercise debrief"]
    assert session.get(AgendaItem, moved[0].agenda[0].id).meeting_id == third.id
    session.refresh(invitee)
    assert invitee.meeting_id == fourth.id and invitee.attendance == Attendance.PRESENT

    shown = member.get(page).get_data(as_text=True)
    assert "Exercise debrief" in shown
    assert "please confirm your reply again" in shown or "confirme nuevamente" in shown


def test_changing_the_whole_series_keeps_its_meetings_and_cancels_those_it_no_longer_has(
    login_as, world, session
):
    coordinator = login_as(world.coordinator_gb)
    response = _schedule(
        coordinator,
        world,
        repeat="monthly_day",
        start_local="2030-01-30T10:00",
        end_local="2030-01-30T11:00",
        count="",
        until_on="2030-04-30",
    )
    assert response.status_code == 302  # the 30th: January, March and April (February has none)
    before = _meetings(session)
    member = login_as(world.member_gb)
    _reply(member, before[0].id, "tentative")
    invitation = _mails(session, recipient=world.member_gb.email)[0]
    reply_link = REPLY_LINK.search(invitation.body_text).group(0)

    # The 31st, a day later (so is the end): January and March; April has no 31st.
    response = _edit(
        coordinator,
        before[0].id,
        start_local="2030-01-31T10:00",
        end_local="2030-01-31T11:00",
        scope="following",
    )

    assert response.status_code == 302
    after = _meetings(session)
    assert [m.id for m in after] == [m.id for m in before]
    assert [m.starts_at.date().isoformat() for m in after[:2]] == ["2030-01-31", "2030-03-31"]
    assert after[2].starts_at.date().isoformat() == "2030-04-30"
    assert [m.status for m in after] == [MeetingStatus.SCHEDULED] * 2 + [MeetingStatus.CANCELLED]
    answered = next(i for i in after[0].invitees if i.user_id == world.member_gb.id)
    assert answered.reply == Reply.TENTATIVE and answered.reconfirm
    series = session.scalars(select(MeetingSeries)).one()
    assert "BYMONTHDAY=31" in series.rrule and series.sequence == 2
    told = _mails(session, recipient=world.member_gb.email)[-2:]
    assert [m.ics_method for m in told] == ["CANCEL", "REQUEST"]
    cancel, request = (m.ics_content.replace("\r\n ", "") for m in told)
    assert "RECURRENCE-ID;TZID=Europe/London:20300430T100000" in cancel
    assert "SEQUENCE:1" in cancel and "SEQUENCE:2" in request

    for meeting in after:  # every page still answers; the dropped one as cancelled
        assert member.get(f"/meetings/{meeting.id}").status_code == 200
    assert "Cancelled" in member.get(f"/meetings/{after[2].id}").get_data(as_text=True)
    assert login_as(world.member_gb).get(reply_link).status_code == 200


def test_the_change_mail_of_a_split_series_describes_the_meetings_that_changed(
    login_as, world, session
):
    coordinator = login_as(world.coordinator_gb)
    assert _schedule(coordinator, world).status_code == 302
    third = _meetings(session)[2]
    sent = len(_mails(session))

    _edit(
        coordinator,
        third.id,
        start_local="2030-01-22T16:00",
        end_local="2030-01-22T17:00",
        scope="following",
    )

    told = [m for m in _mails(session)[sent:] if m.recipient == world.member_gb.email]
    change = next(m for m in told if m.kind == "meeting_change")
    assert "Jan 22, 2030, 16:00" in change.body_text
    assert "Jan 8, 2030" not in change.body_text
    assert "2 meetings of the series" in change.body_text
    assert f"/meetings/{third.id}" in change.body_text
    spanish = next(
        m
        for m in _mails(session)[sent:]
        if m.recipient == world.member_cl.email and m.kind == "meeting_change"
    )
    assert "2 reuniones de la serie" in spanish.body_text


def test_a_series_starts_on_its_rule_or_the_form_names_its_first_date(login_as, world, session):
    coordinator = login_as(world.coordinator_gb)
    # Friday 18 January 2030 is not the last Friday of January: that is the 25th.
    response = _schedule(
        coordinator,
        world,
        repeat="monthly_last_weekday",
        start_local="2030-01-18T10:00",
        end_local="2030-01-18T11:00",
    )
    assert response.status_code == 422
    assert "Friday, January 25, 2030" in response.get_data(as_text=True)
    assert _meetings(session) == [] and _mails(session) == []

    response = _schedule(
        coordinator,
        world,
        repeat="monthly_last_weekday",
        start_local="2030-01-25T10:00",
        end_local="2030-01-25T11:00",
    )
    assert response.status_code == 302
    assert [m.starts_at.date().isoformat() for m in _meetings(session)] == [
        "2030-01-25",
        "2030-02-22",
        "2030-03-29",
        "2030-04-26",
    ]


def test_saving_this_and_following_unchanged_splits_nothing_and_tells_nobody(
    login_as, world, session
):
    coordinator = login_as(world.coordinator_gb)
    assert _schedule(coordinator, world).status_code == 302
    third = _meetings(session)[2]
    sent = len(_mails(session))

    response = _edit(
        coordinator,
        third.id,
        start_local="2030-01-22T10:00",
        end_local="2030-01-22T11:00",
        scope="following",
    )

    assert response.status_code == 302
    assert len(session.scalars(select(MeetingSeries)).all()) == 1
    assert len(_mails(session)) == sent


def _moved_an_hour_later(app, session, coordinator, first_id: int) -> int:
    """Move a whole series (from its first meeting) an hour later; the statements it took."""
    edit = f"/meetings/{first_id}/edit"
    coordinator.get(edit)
    with count_statements(app) as run:
        response = _edit(
            coordinator,
            first_id,
            start_local="2030-01-08T11:00",
            end_local="2030-01-08T12:00",
            scope="following",
        )
    assert response.status_code == 302
    return len(run)


def test_moving_a_long_series_costs_what_a_short_one_does_and_asks_every_reply_again(
    app, login_as, world, session
):
    """Issue 19 point 5: a change to a series reads its invitees once, not once per meeting."""
    coordinator = login_as(world.coordinator_gb)
    member = login_as(world.member_gb)
    costs, replied = [], []
    for count in (3, 12):
        session.execute(Meeting.__table__.delete())
        session.execute(MeetingSeries.__table__.delete())
        session.commit()
        assert _schedule(coordinator, world, count=str(count)).status_code == 302
        meetings = _meetings(session)
        for meeting in meetings[1:]:  # the first stays unanswered, as many do
            _reply(member, meeting.id, "accepted")
        sent = len(_mails(session))
        costs.append(_moved_an_hour_later(app, session, coordinator, meetings[0].id))
        after = _meetings(session)
        replied = [
            (invitee.reply, invitee.reconfirm)
            for meeting in after
            for invitee in meeting.invitees
            if invitee.user_id == world.member_gb.id
        ]
        told = [m for m in _mails(session)[sent:] if m.recipient == world.member_gb.email]
        assert [m.kind for m in told] == ["meeting_change"]  # one mail, not one per meeting

    assert costs[1] == costs[0]
    # Every answer of the twelve is kept and asked again; the unanswered first one stays so.
    assert replied == [(Reply.NEEDS_ACTION, False)] + [(Reply.ACCEPTED, True)] * 11
    page = member.get(f"/meetings/{after[5].id}").get_data(as_text=True)
    assert "confirm" in page.lower()


def test_answering_for_a_long_series_costs_what_a_short_one_does(app, login_as, world, session):
    """A reply "for this and the following meetings" reads the person's own invitations, not
    every invitation of every later meeting."""
    coordinator = login_as(world.coordinator_gb)
    member = login_as(world.member_gb)
    costs = []
    for count in (3, 12):
        session.execute(Meeting.__table__.delete())
        session.execute(MeetingSeries.__table__.delete())
        session.commit()
        assert _schedule(coordinator, world, count=str(count)).status_code == 302
        meetings = _meetings(session)
        _reply(member, meetings[-1].id, "declined")  # the last one, on its own first
        page = f"/meetings/{meetings[1].id}"
        member.get(page)
        with count_statements(app) as run:
            _reply(member, meetings[1].id, "accepted", following=True)
        costs.append(len(run))
        answers = [
            next(i.reply for i in meeting.invitees if i.user_id == world.member_gb.id)
            for meeting in _meetings(session)
        ]
        assert answers == [Reply.NEEDS_ACTION] + [Reply.ACCEPTED] * (count - 1)
        others = [
            i.reply
            for meeting in _meetings(session)
            for i in meeting.invitees
            if i.user_id != world.member_gb.id
        ]
        assert set(others) == {Reply.NEEDS_ACTION}

    assert costs[1] == costs[0]
